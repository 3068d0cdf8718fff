/** DigitLab training. */
package org.digitlab.training;
