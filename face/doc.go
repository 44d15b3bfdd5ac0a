// Package face assesses the quality of a face image for biometric
// enrolment in the spirit of ISO/IEC 29794-5, BSI OFIQ and the ICAO 9303-3 /
// ISO/IEC 19794-5 full-frontal portrait rules.
//
// An [Assessor] finds the faces in an image (pigo's pixel-comparison face
// finder, with pigo's cascades embedded), localises the eye centres (pigo's
// pupil localiser run with fixed perturbations, blended with the midpoints
// of the eye corners found by pigo's landmark cascades, the outer corners
// refined in full mode to the nearest corner-response peak along the eye
// line, with constants fitted and cross-validated by portrait on an
// annotated corpus) and a few
// landmarks (eye corners, nose, mouth), and
// computes named quality measures ([quality.Measures]) for the primary
// (largest) face: geometry (inter-eye distance, pose, size, centring,
// margins) and photometry on the face region (luminance, exposure, dynamic
// range, sharpness, illumination uniformity, natural colour, background
// uniformity, colour vs greyscale, JPEG compression). Each measure carries its
// native value and, where defined, a 0-100 component from a documented
// sigmoid mapping (see [Mapping] and [Mappings]).
//
// When the normal search finds no face, full mode (not preview) searches
// again with finer steps, larger rotations and, last, on a copy with
// normalised local contrast (dark, washed-out or coarsely quantised
// images); images with a face found by the normal search are not slowed.
//
// Measures (names from package quality; the component mappings are in
// [Mappings]):
//
//   - FaceCount: number of faces found (native only).
//   - InterEyeDistance: distance between the eye centres, px.
//   - ImageWidth, ImageHeight: px (native only).
//   - HeadPoseRoll: eye-line tilt in degrees, positive when the subject's
//     left eye (image-right) is higher.
//   - HeadPoseYaw, HeadPosePitch: degrees, estimated from the nose tip's
//     offset from the eye-mouth axis with a rigid model (see pose); yaw
//     positive when the nose appears displaced to the image's right, pitch
//     positive for head tilted up. Only when landmarks are available (not
//     in preview mode). Coarse: about ±10° scatter on frontal portraits.
//   - HeadSize: estimated chin-to-crown height (3.6 IED) over image height.
//   - HorizontalCentring: (eye midpoint x - width/2) / width, signed.
//   - MarginAboveOfTheFaceImage, MarginBelowOfTheFaceImage,
//     LeftwardCropOfTheFaceImage, RightwardCropOfTheFaceImage: distance
//     from the eye midpoint to the top, bottom, left and right image
//     borders, in IED.
//   - Photometry on the face region (0.75 IED each side of the eye
//     midpoint, 0.5 IED above to 1.5 IED below the eye line), resampled to
//     IED = 64 px in the eye line's frame: LuminanceMean and
//     LuminanceVariance of BT.601 luma scaled to 0-1; UnderExposurePrevention
//     and OverExposurePrevention, the shares of face pixels with luma
//     below 40 and at or above 247; DynamicRange, the entropy of the face's
//     luma histogram in bits (0-8); Sharpness, the standard deviation of
//     the 4-neighbour Laplacian over that of the luma (+1); and
//     IlluminationUniformity, (L - R) / (L + R) with L and R the mean luma
//     of the image-left (the subject's right) and image-right (the
//     subject's left) halves of the face: negative means the image-left
//     side is darker ("more light on the image-left side of the face", the
//     subject's right side), positive the image-right side.
//   - NaturalColour (colour images only): CIELAB distance of the mean
//     (a*, b*) of the cheeks and nose from the skin box a* 5-28, b* 5-35.
//   - BackgroundUniformity (not in preview mode): mean luma gradient
//     magnitude beside and above the head, per IED/16 step.
//   - CompressionArtifacts (only with AssessOptions.JPEG): the IJG
//     quality estimated from the luminance quantisation table.
//   - ColourImage: 1 for colour, 0 for greyscale (native only).
//   - EyesOpen, MouthClosed, ExpressionNeutrality (full mode, from the
//     face mesh; see below): the less open eye's eyelid opening over T,
//     the inner-lip opening over T (T: eye-corner midpoint to chin, as
//     OFIQ), and the probability (0-1) that the expression is neutral.
//   - EyesVisible, MouthOcclusionPrevention, FaceOcclusionPrevention,
//     NoHeadCoverings (full mode, from the face mesh's zones against the
//     face's own skin; face/occlusion.go): the visible share of the eye
//     zones, the lip line's contrast, the lesser of those two components,
//     and the upper forehead's horizontal-edge dominance (a brim or band).
//
// When the face finder finds no face in full mode, the mesh alone is run
// on three centred square crops and its best face is taken if its score
// reaches 0.9 (face/fallback.go): masked and hand-covered faces are then
// reported as occluded rather than as "no face found".
//
// Face mesh (full mode, primary face): MediaPipe Face Mesh (468 points;
// package face/internal/facemesh) runs on a 192×192 crop turned with the
// eye line, meshCropIED inter-eye distances wide (a second pass on the
// crop MediaPipe takes from its own points, meshROI, was measured worse and
// is not run). Its points are reported in [Face.Mesh]; the Iris model (64×64)
// refines the eyelids of the eye the mesh finds the less open. The eye
// centres become the means of each eye's six mesh contour points (dlib's
// six), offset and blended about 40:60 with the pupil and eye-corner
// chain's, or offset alone where the chain's inter-eye distance is more
// than 6 % short of the mesh's (the chain's pupil then sits on the inner
// half of an eye; shippedMeshEyes; constants cross-validated by portrait
// on the annotated corpus, where the gated blend has the smallest
// inter-eye distance error),
// and the mesh gives the content measures. Faces with an inter-eye
// distance under [MinMeshIED] px, turned too far, or on whose crop the
// mesh's face score is below 0.5 are not assessed: [Face.MeshNotAssessed]
// says why, the eye centres stay those of the pupil and eye-corner chain,
// and the three content measures are not reported. Preview mode does not
// run the mesh (it costs about 27 ms a pass on one core; preview's budget
// is 20 ms a frame).
//
// Conventions: pixel coordinates have x to the right and y down, with the
// origin at the top-left corner of the top-left pixel, so the centre of pixel
// (i, j) is (i+0.5, j+0.5). [Face.RightEye] is the SUBJECT's right eye, which
// appears on the image's left; [Face.LeftEye] is the subject's left eye, on
// the image's right.
//
// Contract: any [image.Image] is accepted; luminance is computed as
// ITU-R BT.601 luma (the Y of JPEG's YCbCr, used directly for *image.YCbCr).
// Identical input yields a bit-identical [Report]: no random source is used.
// Errors are returned only for unusable input (nil, empty or too small
// images); a face that fails a check, or no face at all, is a result, not an
// error. An Assessor is safe for concurrent use. The package never logs.
package face
