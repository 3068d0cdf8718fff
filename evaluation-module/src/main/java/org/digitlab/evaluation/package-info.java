/** DigitLab evaluation. */
package org.digitlab.evaluation;
