/** The end-to-end segmentation demo on synthetic CT phantoms ({@code voxel4j demo}). */
package org.voxel4j.volumetric.demo;
