package org.digitlab.app.tune;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Who holds a lease, saved as the lease directory's {@code holder.json} when the lease is taken and never changed
 * after (the holder renews the lease by rewriting its {@code beat} file).
 *
 * @param worker       the worker's id, {@code host-pid-n}
 * @param job          what it does, e.g. {@code rung 1 (3 epochs)}
 * @param rung         the rung the job trains the trial to (-1 for the summary)
 * @param since        when it took the lease (ISO-8601, its own clock)
 * @param leaseSeconds how long others wait for a renewal before they take the lease over
 */
record Holder(String worker, String host, long pid, String job, int rung, String since,
              @JsonProperty("lease_seconds") double leaseSeconds) {
}
