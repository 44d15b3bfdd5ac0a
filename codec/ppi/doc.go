// Package ppi reads the scanning resolution, in pixels per inch, that image
// files and biometric records declare: PNG pHYs, JPEG JFIF density and EXIF
// XResolution/YResolution, TIFF XResolution/YResolution, BMP pixels per
// metre, the WSQ NISTCOM PPI field, the JPEG 2000 capture or display
// resolution boxes, and ISO/IEC 19794-4 finger records.
//
// A declared resolution is only a claim: image software often writes 72 or
// 96 ppi by default, which says nothing about a fingerprint scan.
// Resolution.SoftwareDefault reports those values so that callers can treat
// them as unknown.
package ppi
