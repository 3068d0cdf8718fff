/** {@code digitlab grid}: hyper-parameter grid search over an experiment preset, chosen on validation data. */
package org.digitlab.app.grid;
