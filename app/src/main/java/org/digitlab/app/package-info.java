/** DigitLab app. */
package org.digitlab.app;
