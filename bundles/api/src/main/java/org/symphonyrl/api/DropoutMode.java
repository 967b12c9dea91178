package org.symphonyrl.api;

/** GradientDropout after each FeedForward's output layer. */
public enum DropoutMode {
    /** No GradientDropout (S3, SE, ED). */
    NONE,
    /** Fixed probability p (S2: 0.5). */
    FIXED,
    /** Per-element p = sigmoid(n), n ~ N(0, 1) (S̃2). */
    RANDOM
}
