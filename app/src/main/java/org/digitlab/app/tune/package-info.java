/**
 * {@code digitlab tune}, {@code digitlab worker} and {@code digitlab grid}: hyper-parameter sweeps (grid, random,
 * ASHA) whose state lives in one directory and whose workers are interchangeable. The search logic
 * ({@code SearchSpace}, {@code AshaScheduler}) is pure; the directory
 * claims ({@code Lease}) are small.
 */
package org.digitlab.app.tune;
