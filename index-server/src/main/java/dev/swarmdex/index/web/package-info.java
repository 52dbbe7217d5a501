/** The web pages (search page and admin console) the index server serves from the web-ui module. */
package dev.swarmdex.index.web;
