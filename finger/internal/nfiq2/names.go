package nfiq2

// FeatureNames lists NFIQ 2's 69 native quality measures under NIST's names,
// in the order of NIST's feature vector (and of its conformance tables):
// FDA bins 0-9, mean, std-dev; the four FingerJetFX minutiae measures;
// ImgProcROIArea_Mean; LCS x12; MMB; Mu; OCL x12; OF x12; orientation-map
// coherence (relative, sum); RVUP x12.
var FeatureNames = [69]string{
	"FDA_Bin10_0", "FDA_Bin10_1", "FDA_Bin10_2", "FDA_Bin10_3", "FDA_Bin10_4",
	"FDA_Bin10_5", "FDA_Bin10_6", "FDA_Bin10_7", "FDA_Bin10_8", "FDA_Bin10_9",
	"FDA_Bin10_Mean", "FDA_Bin10_StdDev",
	"FingerJetFX_MinCount_COMMinRect200x200", "FingerJetFX_MinutiaeCount",
	"FJFXPos_Mu_MinutiaeQuality_2", "FJFXPos_OCL_MinutiaeQuality_80",
	"ImgProcROIArea_Mean",
	"LCS_Bin10_0", "LCS_Bin10_1", "LCS_Bin10_2", "LCS_Bin10_3", "LCS_Bin10_4",
	"LCS_Bin10_5", "LCS_Bin10_6", "LCS_Bin10_7", "LCS_Bin10_8", "LCS_Bin10_9",
	"LCS_Bin10_Mean", "LCS_Bin10_StdDev",
	"MMB", "Mu",
	"OCL_Bin10_0", "OCL_Bin10_1", "OCL_Bin10_2", "OCL_Bin10_3", "OCL_Bin10_4",
	"OCL_Bin10_5", "OCL_Bin10_6", "OCL_Bin10_7", "OCL_Bin10_8", "OCL_Bin10_9",
	"OCL_Bin10_Mean", "OCL_Bin10_StdDev",
	"OF_Bin10_0", "OF_Bin10_1", "OF_Bin10_2", "OF_Bin10_3", "OF_Bin10_4",
	"OF_Bin10_5", "OF_Bin10_6", "OF_Bin10_7", "OF_Bin10_8", "OF_Bin10_9",
	"OF_Bin10_Mean", "OF_Bin10_StdDev",
	"OrientationMap_ROIFilter_CoherenceRel", "OrientationMap_ROIFilter_CoherenceSum",
	"RVUP_Bin10_0", "RVUP_Bin10_1", "RVUP_Bin10_2", "RVUP_Bin10_3", "RVUP_Bin10_4",
	"RVUP_Bin10_5", "RVUP_Bin10_6", "RVUP_Bin10_7", "RVUP_Bin10_8", "RVUP_Bin10_9",
	"RVUP_Bin10_Mean", "RVUP_Bin10_StdDev",
}

// MinutiaeMeasureNames are the four FeatureNames that need a minutiae
// extractor (FingerJetFX) and that Compute does not produce.
var MinutiaeMeasureNames = [4]string{
	"FingerJetFX_MinCount_COMMinRect200x200", "FingerJetFX_MinutiaeCount",
	"FJFXPos_Mu_MinutiaeQuality_2", "FJFXPos_OCL_MinutiaeQuality_80",
}

func isMinutiaeMeasure(name string) bool {
	for _, n := range MinutiaeMeasureNames {
		if n == name {
			return true
		}
	}
	return false
}
