#!/usr/bin/env python3
"""Recomputes a DigitLab report with scikit-learn from predictions.csv (ReportFiles.writePredictionsCsv).

    /usr/bin/python3 check_predictions.py RUN_DIR/predictions.csv NUM_CLASSES [RUN_DIR/report.txt [NAME,NAME,...]]

Prints scikit-learn's classification_report (digits=2, zero_division=0, labels=range(K)) and, when probabilities
are present, log loss and top-k accuracy; with a report.txt it also says whether the text is identical.
"""
import sys

import numpy as np
from sklearn.metrics import classification_report, log_loss, top_k_accuracy_score


def main():
    path, k = sys.argv[1], int(sys.argv[2])
    data = np.genfromtxt(path, delimiter=",", names=True, dtype=None, encoding="utf-8")
    names = sys.argv[4].split(",") if len(sys.argv) > 4 else [str(c) for c in range(k)]
    # true/predicted hold class names; the report counts by position in the class list.
    y_true = np.array([names.index(str(v)) for v in data["true"]])
    y_pred = np.array([names.index(str(v)) for v in data["predicted"]])
    labels = list(range(k))
    text = classification_report(y_true, y_pred, labels=labels, target_names=names, zero_division=0, digits=2)
    print(text)
    prob_cols = [n for n in data.dtype.names if n.startswith("p_")]
    if prob_cols:
        proba = np.stack([data[n] for n in prob_cols], axis=1)
        print("log loss:", log_loss(y_true, proba, labels=labels))
        for x in [1] + [x for x in (3, 5) if x < k]:
            print(f"top-{x} accuracy:", top_k_accuracy_score(y_true, proba if k > 2 else proba[:, 1], k=x,
                                                             labels=labels))
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            same = f.read() == text
        print("report.txt identical to scikit-learn:", same)
        sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
