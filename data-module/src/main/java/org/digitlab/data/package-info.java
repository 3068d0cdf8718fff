/** DigitLab data. */
package org.digitlab.data;
