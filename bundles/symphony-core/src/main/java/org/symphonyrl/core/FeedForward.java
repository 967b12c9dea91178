package org.symphonyrl.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.LinkedHashMap;
import java.util.Map;
import org.symphonyrl.api.random.RandomStream;

/**
 * FeedForward (docs/algorithm.md §2):
 * <pre>
 *   Linear(in→h) → LayerNorm(h) → Linear(h→h) → ReSine(h) → Linear(h→out) [→ GradientDropout]
 * </pre>
 * Parameters have PyTorch's shapes (weights (out, in)) and its default initialisation: weights and
 * biases uniform in ±1/√fan_in, LayerNorm γ = 1, β = 0 with ε = 1e-5. ReSine's s is uniform in ±1/√h.
 */
final class FeedForward implements AutoCloseable {

    /** Parameter names in a fixed order (snapshots, optimiser moments and Polyak pair them by name). */
    static final String[] NAMES = {"w1", "b1", "gamma", "beta", "w2", "b2", "s", "w3", "b3"};

    static final float LAYER_NORM_EPSILON = 1e-5f;

    private final int hidden;
    private final Map<String, NDArray> parameters;
    private final ReSine reSine;

    private FeedForward(NDManager manager, int hidden, Map<String, NDArray> parameters) {
        this.hidden = hidden;
        this.parameters = parameters;
        this.reSine = new ReSine(manager);
    }

    /** A freshly initialised network in → h → h → out. */
    static FeedForward initialised(NDManager manager, int in, int hidden, int out, RandomStream random) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("w1", uniform(manager, random, in, new Shape(hidden, in)));
        p.put("b1", uniform(manager, random, in, new Shape(hidden)));
        p.put("gamma", manager.ones(new Shape(hidden)));
        p.put("beta", manager.zeros(new Shape(hidden)));
        p.put("w2", uniform(manager, random, hidden, new Shape(hidden, hidden)));
        p.put("b2", uniform(manager, random, hidden, new Shape(hidden)));
        p.put("s", uniform(manager, random, hidden, new Shape(hidden)));
        p.put("w3", uniform(manager, random, hidden, new Shape(out, hidden)));
        p.put("b3", uniform(manager, random, hidden, new Shape(out)));
        return new FeedForward(manager, hidden, p);
    }

    /** An independent copy (the target critics start as copies of the online ones). */
    FeedForward copy(NDManager manager) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        parameters.forEach((name, array) -> {
            NDArray copy = manager.create(array.getShape());
            WholeArray.copy(array, copy);
            p.put(name, copy);
        });
        return new FeedForward(manager, hidden, p);
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
     * (B, in) → (B, out). The input may come in column blocks whose concatenation is the
     * network's input; the first layer multiplies each block by its own columns of W1, so a block
     * that needs no gradient (the target critics' states) costs no backward work. A dropout mask,
     * if given, has the output's shape.
     */
    NDArray forward(NDArray dropoutMask, NDArray... inputBlocks) {
        NDArray y = firstLayer(inputBlocks);
        y = y.getNDArrayInternal().layerNorm(y, new Shape(hidden), parameters.get("gamma"), parameters.get("beta"),
                LAYER_NORM_EPSILON).singletonOrThrow();
        y = Linear.linear(y, parameters.get("w2"), parameters.get("b2")).singletonOrThrow();
        y = reSine.apply(y, parameters.get("s"));
        y = Linear.linear(y, parameters.get("w3"), parameters.get("b3")).singletonOrThrow();
        return GradientDropout.apply(y, dropoutMask);
    }

    private NDArray firstLayer(NDArray[] blocks) {
        NDArray w1 = parameters.get("w1");
        NDArray b1 = parameters.get("b1");
        if (blocks.length == 1) {
            return Linear.linear(blocks[0], w1, b1).singletonOrThrow();
        }
        NDArray sum = null;
        long column = 0;
        for (NDArray block : blocks) {
            long width = block.getShape().get(1);
            NDArray columns = w1.get(new NDIndex(":, {}:{}", column, column + width));
            NDArray part = sum == null
                    ? Linear.linear(block, columns, b1).singletonOrThrow()
                    : Linear.linear(block, columns).singletonOrThrow();
            sum = sum == null ? part : sum.add(part);
            column += width;
        }
        return sum;
    }

    private static NDArray uniform(NDManager manager, RandomStream random, int fanIn, Shape shape) {
        float bound = (float) (1 / Math.sqrt(fanIn));
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
        return manager.create(values, shape);
    }

    @Override
    public void close() {
        parameters.values().forEach(NDArray::close);
        reSine.close();
    }
}
