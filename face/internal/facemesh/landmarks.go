package facemesh

// Landmark index groups of MediaPipe Face Mesh's 468-point canonical
// topology, for the face checks.
//
// Sources: MediaPipe's published connection sets
// (mediapipe/python/solutions/face_mesh_connections.py: FACEMESH_LIPS,
// FACEMESH_LEFT_EYE, FACEMESH_RIGHT_EYE, FACEMESH_LEFT_EYEBROW,
// FACEMESH_RIGHT_EYEBROW, FACEMESH_FACE_OVAL), the canonical face model's
// UV visualisation (mediapipe/modules/face_geometry/data/
// canonical_face_model_uv_visualization.png), and the ordered keypoint
// annotations TensorFlow.js publishes with its face-landmarks-detection
// model (MESH_ANNOTATIONS in keypoints.ts), whose order these slices keep
// (each lid and lip runs from the image-left end to the image-right end).
//
// Left and right are the subject's, as in MediaPipe's FACEMESH_LEFT_EYE:
// in an unmirrored frontal photo the subject's right eye (points 33-133)
// appears on the image's left.

// FaceOval is the face outline, clockwise in the image from the top of the
// forehead (10) through the subject's left cheek, the chin (152) and the
// right cheek.
var FaceOval = []int{10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361,
	288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58,
	132, 93, 234, 127, 162, 21, 54, 103, 67, 109}

// Lip contours. The outer contours share the mouth corners 61 and 291, the
// inner ones 78 and 308.
var (
	// LipsUpperOuter is the upper lip's outer edge, corner 61 to corner 291.
	LipsUpperOuter = []int{61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291}
	// LipsLowerOuter is the lower lip's outer edge, 146 (beside corner 61)
	// to corner 291.
	LipsLowerOuter = []int{146, 91, 181, 84, 17, 314, 405, 321, 375, 291}
	// LipsUpperInner is the upper lip's inner edge, 78 to 308; its middle
	// point is 13.
	LipsUpperInner = []int{78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308}
	// LipsLowerInner is the lower lip's inner edge, 78 to 308; its middle
	// point is 14.
	LipsLowerInner = []int{78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308}
)

// Eyelids: the eye opening's contour ("0" ring of the annotations).
var (
	// RightEyeUpper0 is the subject's right upper lid, outer to inner,
	// without the corners; its middle point is 159.
	RightEyeUpper0 = []int{246, 161, 160, 159, 158, 157, 173}
	// RightEyeLower0 is the subject's right lower lid from the outer
	// corner 33 to the inner corner 133; its middle point is 145.
	RightEyeLower0 = []int{33, 7, 163, 144, 145, 153, 154, 155, 133}
	// LeftEyeUpper0 is the subject's left upper lid, outer to inner,
	// without the corners; its middle point is 386.
	LeftEyeUpper0 = []int{466, 388, 387, 386, 385, 384, 398}
	// LeftEyeLower0 is the subject's left lower lid from the outer corner
	// 263 to the inner corner 362; its middle point is 374.
	LeftEyeLower0 = []int{263, 249, 390, 373, 374, 380, 381, 382, 362}
)

// Rings around the eyes, further out than the lids (used to map the Iris
// model's 71 contour points onto the mesh; see [IrisContourGroups]).
var (
	RightEyeUpper1 = []int{247, 30, 29, 27, 28, 56, 190}           // subject's right, first ring above the lid
	RightEyeLower1 = []int{130, 25, 110, 24, 23, 22, 26, 112, 243} // first ring below
	RightEyeUpper2 = []int{113, 225, 224, 223, 222, 221, 189}      // second ring above
	RightEyeLower2 = []int{226, 31, 228, 229, 230, 231, 232, 233, 244}
	RightEyeLower3 = []int{143, 111, 117, 118, 119, 120, 121, 128, 245}
	LeftEyeUpper1  = []int{467, 260, 259, 257, 258, 286, 414} // subject's left, first ring above the lid
	LeftEyeLower1  = []int{359, 255, 339, 254, 253, 252, 256, 341, 463}
	LeftEyeUpper2  = []int{342, 445, 444, 443, 442, 441, 413}
	LeftEyeLower2  = []int{446, 261, 448, 449, 450, 451, 452, 453, 464}
	LeftEyeLower3  = []int{372, 340, 346, 347, 348, 349, 350, 357, 465}
)

// Eyebrows, outer end first.
var (
	RightEyebrowUpper = []int{156, 70, 63, 105, 66, 107, 55, 193}     // subject's right brow, upper edge
	RightEyebrowLower = []int{35, 124, 46, 53, 52, 65}                // subject's right brow, lower edge
	LeftEyebrowUpper  = []int{383, 300, 293, 334, 296, 336, 285, 417} // subject's left brow, upper edge
	LeftEyebrowLower  = []int{265, 353, 276, 283, 282, 295}           // subject's left brow, lower edge
)

// Single points.
const (
	RightEyeOuter     = 33  // subject's right eye, outer corner
	RightEyeInner     = 133 // subject's right eye, inner corner
	LeftEyeInner      = 362 // subject's left eye, inner corner
	LeftEyeOuter      = 263 // subject's left eye, outer corner
	RightUpperLidMid  = 159 // middle of the subject's right upper lid
	RightLowerLidMid  = 145 // middle of the subject's right lower lid
	LeftUpperLidMid   = 386 // middle of the subject's left upper lid
	LeftLowerLidMid   = 374 // middle of the subject's left lower lid
	MouthRight        = 61  // subject's right mouth corner (outer lip contour)
	MouthLeft         = 291 // subject's left mouth corner (outer lip contour)
	MouthInnerRight   = 78  // subject's right end of the inner lip contour
	MouthInnerLeft    = 308 // subject's left end of the inner lip contour
	UpperLipInnerMid  = 13  // middle of the upper lip's inner edge
	LowerLipInnerMid  = 14  // middle of the lower lip's inner edge
	UpperLipOuterMid  = 0   // middle of the upper lip's outer edge
	LowerLipOuterMid  = 17  // middle of the lower lip's outer edge
	NoseTip           = 1   // tip of the nose
	NoseBottom        = 2   // below the nose tip, above the philtrum
	MidwayBetweenEyes = 168 // bridge of the nose between the eyes
	Chin              = 152 // lowest point of the face oval
	ForeheadTop       = 10  // highest point of the face oval
)

// IrisContourGroups maps the Iris model's 71 eye-region points
// ([IrisResult.Contour]) onto the mesh's eye groups: for each key, the
// Iris indices in the same order as the mesh group of that name (for the
// subject's right eye, unflipped; for the left eye after mapping a flipped
// run back). From the mapping TensorFlow.js's face-landmarks-detection
// publishes (MESH_TO_IRIS_INDICES_MAP).
var IrisContourGroups = map[string][]int{
	"EyeUpper0":    {9, 10, 11, 12, 13, 14, 15},
	"EyeUpper1":    {25, 26, 27, 28, 29, 30, 31},
	"EyeUpper2":    {41, 42, 43, 44, 45, 46, 47},
	"EyeLower0":    {0, 1, 2, 3, 4, 5, 6, 7, 8},
	"EyeLower1":    {16, 17, 18, 19, 20, 21, 22, 23, 24},
	"EyeLower2":    {32, 33, 34, 35, 36, 37, 38, 39, 40},
	"EyeLower3":    {54, 55, 56, 57, 58, 59, 60, 61, 62},
	"EyebrowUpper": {63, 64, 65, 66, 67, 68, 69, 70},
	"EyebrowLower": {48, 49, 50, 51, 52, 53},
}
