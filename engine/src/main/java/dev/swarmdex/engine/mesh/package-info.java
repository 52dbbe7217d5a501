/**
 * The mesh at run time: flooding queries between directories, and (at the index server) the
 * registry of supernodes, their links, their leaves and promotions.
 */
package dev.swarmdex.engine.mesh;
