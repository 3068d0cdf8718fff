#!/usr/bin/env python3
"""Regenerates the scikit-learn reference outputs that ClassificationReportGoldenTest compares against.

Run from this directory with the Debian scikit-learn (apt-get install -y python3-sklearn):
    /usr/bin/python3 make_golden.py
Every case is deterministic (fixed seeds), so rerunning with the same scikit-learn gives identical files.
"""
import json
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import (average_precision_score, classification_report, confusion_matrix, log_loss,
                             roc_auc_score, roc_curve, top_k_accuracy_score)

warnings.simplefilter("ignore", UndefinedMetricWarning)


def softmax_rows(rng, n, k, y_true, sharpness):
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), y_true] += sharpness
    p = np.exp(logits)
    return p / p.sum(axis=1, keepdims=True)


def case_absent_classes():
    """K=5: class 3 is never predicted, class 4 never occurs in the truth; long class name widens the column."""
    rng = np.random.RandomState(1)
    y_true = rng.choice([0, 1, 2, 3], size=60, p=[0.4, 0.3, 0.2, 0.1])
    y_pred = y_true.copy()
    flip = rng.rand(60) < 0.35
    y_pred[flip] = rng.choice([0, 1, 2, 4], size=flip.sum())
    y_pred[y_pred == 3] = 1
    names = ["cat", "dog", "bird", "a-rather-long-class-name", "fish"]
    return dict(name="absent_classes", num_classes=5, class_names=names, y_true=y_true, y_pred=y_pred)


def case_label_in_neither():
    """K=4: label 3 occurs in neither array, so scikit-learn prints 'micro avg' instead of 'accuracy'."""
    y_true = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, 1, 0, 2])
    y_pred = np.array([0, 1, 0, 1, 2, 2, 2, 0, 2, 1, 0, 1])
    return dict(name="label_in_neither", num_classes=4, class_names=None, y_true=y_true, y_pred=y_pred)


def case_rounding_ties():
    """Scores that are exact binary ties at two decimals (0.625, 0.375, 0.125): Python rounds them half-to-even."""
    y_true = np.array([0] * 5 + [1] * 3 + [1] * 3 + [1] * 2 + [2] * 1 + [2] * 7)
    y_pred = np.array([0] * 5 + [0] * 3 + [1] * 3 + [2] * 2 + [2] * 1 + [1] * 7)
    return dict(name="rounding_ties", num_classes=3, class_names=None, y_true=y_true, y_pred=y_pred)


def case_binary():
    """Binary with probabilities rounded to 0.05 steps, so many scores tie (exercises the ROC tie handling)."""
    rng = np.random.RandomState(2)
    n = 50
    y_true = rng.randint(0, 2, size=n)
    p1 = np.clip(0.5 + (y_true - 0.5) * 0.5 + rng.normal(scale=0.3, size=n), 0, 1)
    p1 = np.round(p1 * 20) / 20
    proba = np.stack([1 - p1, p1], axis=1)
    y_pred = (p1 > 0.5).astype(int)
    return dict(name="binary", num_classes=2, class_names=["negative", "positive"], y_true=y_true,
                y_pred=y_pred, probabilities=proba)


def case_multiclass_probabilities():
    """K=10 with probabilities: some rows hold exact zeros and ones (eps clipping) and do not sum to one."""
    rng = np.random.RandomState(3)
    n, k = 200, 10
    y_true = rng.randint(0, k, size=n)
    proba = softmax_rows(rng, n, k, y_true, sharpness=1.5)
    proba[0] = 0.0
    proba[0, (y_true[0] + 1) % k] = 1.0  # confidently wrong: log(eps) after clipping
    proba[1] = 0.0
    proba[1, y_true[1]] = 1.0
    proba[2:12] *= 1.3  # rows that sum to 1.3 are renormalised by log_loss
    y_pred = proba.argmax(axis=1)
    return dict(name="multiclass_probabilities", num_classes=k, class_names=None, y_true=y_true,
                y_pred=y_pred, probabilities=proba)


def expected(case):
    k = case["num_classes"]
    labels = list(range(k))
    y_true, y_pred = case["y_true"], case["y_pred"]
    names = case["class_names"] or [str(i) for i in labels]
    kw = dict(labels=labels, target_names=names, zero_division=0)
    out = {
        "report_dict": classification_report(y_true, y_pred, output_dict=True, **kw),
        "confusion_matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        "confusion_matrix_normalized": confusion_matrix(y_true, y_pred, labels=labels, normalize="true").tolist(),
    }
    proba = case.get("probabilities")
    if proba is not None:
        out["log_loss"] = log_loss(y_true, proba, labels=labels)
        ks = [1] + [x for x in (3, 5) if x < k]
        out["top_k_accuracy"] = {str(x): top_k_accuracy_score(y_true, proba if k > 2 else proba[:, 1], k=x,
                                                              labels=labels) for x in ks}
        if k == 2:
            out["roc_auc"] = roc_auc_score(y_true, proba[:, 1])
            out["average_precision"] = average_precision_score(y_true, proba[:, 1])
            fpr, tpr, thr = roc_curve(y_true, proba[:, 1])
            out["roc_curve"] = {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "thresholds": thr.tolist()}
    return out


def main():
    cases = [case_absent_classes(), case_label_in_neither(), case_rounding_ties(), case_binary(), case_multiclass_probabilities()]
    for case in cases:
        k = case["num_classes"]
        names = case["class_names"] or [str(i) for i in range(k)]
        for digits in (2, 4):
            text = classification_report(case["y_true"], case["y_pred"], labels=list(range(k)), target_names=names,
                                         zero_division=0, digits=digits)
            with open(f"{case['name']}_digits{digits}.txt", "w") as f:
                f.write(text)
        doc = {
            "sklearn_version": sklearn.__version__,
            "name": case["name"],
            "num_classes": k,
            "class_names": case["class_names"],
            "y_true": case["y_true"].tolist(),
            "y_pred": case["y_pred"].tolist(),
            "probabilities": case["probabilities"].tolist() if "probabilities" in case else None,
            "expected": expected(case),
        }
        with open(f"{case['name']}.json", "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
