import SynCore

extension SupervisedTask {
    /// Pair-flip label noise on the training rows only (Xie et al. 2021, after Han et al. 2018):
    /// each training label y becomes (y + 1) mod classes with probability `rate`; one-hot
    /// targets follow, and `train.flipped` marks the corrupted rows (the memorisation metrics
    /// need them). The test split stays clean.
    public func withPairFlipNoise(rate: Double, rng: inout RNG) -> SupervisedTask {
        guard isClassification, rate > 0 else { return self }
        var task = self
        var labels = train.labels
        var flipped = [Bool](repeating: false, count: labels.count)
        for i in labels.indices where rng.bernoulli(rate) {
            labels[i] = (labels[i] + 1) % classes
            flipped[i] = true
        }
        task.train = TaskSet(x: train.x, labels: labels, classes: classes)
        task.train.flipped = flipped
        return task
    }
}
