package quality

// Reference names of the measures the gate decides on. Fingerprint native
// measures carry NIST NFIQ 2's own feature names (see package finger); the
// names below are those the threshold profiles refer to.
const (
	// QualityScore is NFIQ 2's unified quality score, 0-100 (NIST's
	// column name in the nfiq2 tool's output).
	QualityScore = "QualityScore"

	// FaceCount is the number of faces found in the image.
	FaceCount = "FaceCount"
	// InterEyeDistance is the distance between the eye centres, in pixels.
	InterEyeDistance = "InterEyeDistance"
	// ImageWidth and ImageHeight are the image dimensions, in pixels.
	ImageWidth  = "ImageWidth"
	ImageHeight = "ImageHeight"
	// HeadPoseRoll is the in-plane tilt of the eye line, in degrees
	// (positive: the subject's left eye is higher in the image).
	HeadPoseRoll = "HeadPoseRoll"
	// HeadPoseYaw is the estimated left-right head turn, in degrees.
	HeadPoseYaw = "HeadPoseYaw"
	// HeadPosePitch is the estimated up-down head tilt, in degrees.
	HeadPosePitch = "HeadPosePitch"
	// HeadSize is the face height relative to the image height.
	HeadSize = "HeadSize"
	// HorizontalCentring is the signed horizontal offset of the eye
	// midpoint from the image centre, as a fraction of the image width.
	HorizontalCentring = "HorizontalCentring"
	// MarginAboveOfTheFaceImage and MarginBelowOfTheFaceImage are the
	// margins above the eye line and below it, relative to the inter-eye
	// distance (OFIQ's names).
	MarginAboveOfTheFaceImage = "MarginAboveOfTheFaceImage"
	MarginBelowOfTheFaceImage = "MarginBelowOfTheFaceImage"
	// LeftwardCropOfTheFaceImage and RightwardCropOfTheFaceImage are the
	// distances from the eye midpoint to the left and right image borders,
	// relative to the inter-eye distance (OFIQ's names).
	LeftwardCropOfTheFaceImage  = "LeftwardCropOfTheFaceImage"
	RightwardCropOfTheFaceImage = "RightwardCropOfTheFaceImage"

	// Photometric face measures, under ISO/IEC 29794-5 / OFIQ names.
	LuminanceMean           = "LuminanceMean"
	LuminanceVariance       = "LuminanceVariance"
	UnderExposurePrevention = "UnderExposurePrevention"
	OverExposurePrevention  = "OverExposurePrevention"
	DynamicRange            = "DynamicRange"
	Sharpness               = "Sharpness"
	IlluminationUniformity  = "IlluminationUniformity"
	NaturalColour           = "NaturalColour"
	BackgroundUniformity    = "BackgroundUniformity"
	CompressionArtifacts    = "CompressionArtifacts"
	// ColourImage is 1 for a colour image and 0 for a greyscale one.
	ColourImage = "ColourImage"

	// Face-content measures from the face mesh, under ISO/IEC 29794-5 /
	// OFIQ names: EyesOpen is the eyelid opening of the less open eye
	// over the eye-to-chin distance, MouthClosed the inner-lip opening
	// over the same distance, ExpressionNeutrality the probability (0-1)
	// that the expression is neutral.
	EyesOpen             = "EyesOpen"
	MouthClosed          = "MouthClosed"
	ExpressionNeutrality = "ExpressionNeutrality"

	// Occlusion measures from the face mesh's zones, under ISO/IEC
	// 29794-5 / OFIQ names (face/occlusion.go): EyesVisible for
	// sunglasses, tinted lenses and hair over the eyes,
	// MouthOcclusionPrevention for masks and hands over the mouth,
	// FaceOcclusionPrevention for anything over the face,
	// NoHeadCoverings for hats and caps.
	EyesVisible              = "EyesVisible"
	MouthOcclusionPrevention = "MouthOcclusionPrevention"
	FaceOcclusionPrevention  = "FaceOcclusionPrevention"
	NoHeadCoverings          = "NoHeadCoverings"
)

// FaceMeasureNames lists the face measures a profile may set component
// floors for, in report order.
var FaceMeasureNames = []string{
	FaceCount, InterEyeDistance, ImageWidth, ImageHeight,
	HeadPoseRoll, HeadPoseYaw, HeadPosePitch, HeadSize, HorizontalCentring,
	MarginAboveOfTheFaceImage, MarginBelowOfTheFaceImage,
	LeftwardCropOfTheFaceImage, RightwardCropOfTheFaceImage,
	LuminanceMean, LuminanceVariance, UnderExposurePrevention, OverExposurePrevention,
	DynamicRange, Sharpness, IlluminationUniformity, NaturalColour,
	BackgroundUniformity, CompressionArtifacts, ColourImage,
	EyesOpen, MouthClosed, ExpressionNeutrality,
	EyesVisible, MouthOcclusionPrevention, FaceOcclusionPrevention, NoHeadCoverings,
}
