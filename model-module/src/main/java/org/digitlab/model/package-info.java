/** DigitLab model. */
package org.digitlab.model;
