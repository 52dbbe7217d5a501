/** The search page and the admin console driven in headless Chromium against a live network. */
package dev.swarmdex.system.web;
