// Package guarantee holds no code: its tests check properties of the whole
// module that no single package can check on its own, such as that no
// package reaches for the network.
package guarantee
