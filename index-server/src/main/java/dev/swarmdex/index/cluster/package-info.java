/**
 * Several index servers on one PostgreSQL database acting as one network: each follows the others'
 * changes to what it keeps in memory (bans, reputation levels) through the database's change log,
 * and finds the others, and meshes with them, through the table of running index servers.
 */
package dev.swarmdex.index.cluster;
