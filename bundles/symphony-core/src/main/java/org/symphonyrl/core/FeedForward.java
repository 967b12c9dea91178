package org.symphonyrl.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.symphonyrl.api.random.RandomStream;

/**
 * {@code k} FeedForward networks of one shape, evaluated together (ALGORITHM.md §2):
 * <pre>
 *   Linear(in→h) → LayerNorm(h) → Linear(h→h) → ReSine(h) → Linear(h→out) [→ GradientDropout]
 * </pre>
 * Every parameter is stacked over the ensemble (k = 1 for the actor, 3 for the critics) so one
 * batched matrix product serves all k networks. Weights keep PyTorch's (out, in) layout and its
 * default initialisation, uniform in ±1/√fan_in for weights and biases; LayerNorm starts at
 * γ = 1, β = 0 with ε = 1e-5; ReSine's s is uniform in ±1/√h.
 */
final class FeedForward implements AutoCloseable {

    /** Parameter names in a fixed order (snapshots, optimiser moments and Polyak pair them by name). */
    static final String[] NAMES = {"w1", "b1", "gamma", "beta", "w2", "b2", "s", "w3", "b3"};

    static final float LAYER_NORM_EPSILON = 1e-5f;

    private final int k;
    private final int hidden;
    private final Map<String, NDArray> parameters;
    /** LayerNorm without its own affine part: the per-network γ and β are applied after it. */
    private final NDArray unitScale;
    private final NDArray zeroShift;

    private FeedForward(NDManager manager, int k, int hidden, Map<String, NDArray> parameters) {
        this.k = k;
        this.hidden = hidden;
        this.parameters = parameters;
        this.unitScale = manager.ones(new Shape(hidden));
        this.zeroShift = manager.zeros(new Shape(hidden));
    }

    /** k freshly initialised networks in → h → h → out. */
    static FeedForward initialised(NDManager manager, int k, int in, int hidden, int out, RandomStream random) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("w1", uniform(manager, random, in, k, hidden, in));
        p.put("b1", uniform(manager, random, in, k, 1, hidden));
        p.put("gamma", manager.ones(new Shape(k, 1, hidden)));
        p.put("beta", manager.zeros(new Shape(k, 1, hidden)));
        p.put("w2", uniform(manager, random, hidden, k, hidden, hidden));
        p.put("b2", uniform(manager, random, hidden, k, 1, hidden));
        p.put("s", uniform(manager, random, hidden, k, 1, hidden));
        p.put("w3", uniform(manager, random, hidden, k, out, hidden));
        p.put("b3", uniform(manager, random, hidden, k, 1, out));
        return new FeedForward(manager, k, hidden, p);
    }

    /** An independent copy (the target critics start as a copy of the online ones). */
    FeedForward copy(NDManager manager) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        parameters.forEach((name, array) -> {
            NDArray copy = manager.create(array.getShape());
            array.copyTo(copy);
            p.put(name, copy);
        });
        return new FeedForward(manager, k, hidden, p);
    }

    /** The parameters by name, in {@link #NAMES} order (live arrays, not copies). */
    Map<String, NDArray> parameters() {
        return parameters;
    }

    /** Makes every parameter collect gradients (online networks only). */
    void requireGradients() {
        parameters.values().forEach(p -> p.setRequiresGradient(true));
    }

    /**
     * x of shape (B, in), shared by all k networks, → (k, B, out). A dropout mask, if given, has
     * the output's shape.
     */
    NDArray forward(NDArray x, NDArray dropoutMask) {
        NDArray y = linear(x, "w1", "b1");
        y = y.getNDArrayInternal().layerNorm(y, new Shape(hidden), unitScale, zeroShift, LAYER_NORM_EPSILON)
                .singletonOrThrow()
                .mul(parameters.get("gamma")).add(parameters.get("beta"));
        y = linear(y, "w2", "b2");
        y = ReSine.apply(y, parameters.get("s"));
        y = linear(y, "w3", "b3");
        return GradientDropout.apply(y, dropoutMask);
    }

    /** x·Wᵀ + b for every network; W is (k, out, in), b is (k, 1, out). */
    private NDArray linear(NDArray x, String weight, String bias) {
        return x.matMul(parameters.get(weight).transpose(0, 2, 1)).add(parameters.get(bias));
    }

    private static NDArray uniform(NDManager manager, RandomStream random, int fanIn, long... shape) {
        Shape s = new Shape(shape);
        float bound = (float) (1 / Math.sqrt(fanIn));
        float[] values = new float[Math.toIntExact(s.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
        return manager.create(values, s);
    }

    @Override
    public void close() {
        parameters.values().forEach(NDArray::close);
        unitScale.close();
        zeroShift.close();
    }
}
