/**
 * The supernode role: a directory for its leaves and a member of the mesh, run on its own or inside
 * a promoted peer agent.
 */
package dev.swarmdex.supernode;
