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
 * FeedForward (ALGORITHM.md §2), or {@code k} of them of one shape evaluated together:
 * <pre>
 *   Linear(in→h) → LayerNorm(h) → Linear(h→h) → ReSine(h) → Linear(h→out) [→ GradientDropout]
 * </pre>
 * A single network (the actor, k = 1) keeps PyTorch's parameter shapes: weights (out, in), biases,
 * LayerNorm's γ and β and ReSine's s of length h. An ensemble (the critics, k = 3) stacks every
 * parameter over a leading k axis, weights (k, out, in) and vectors (k, 1, h), so one batched
 * matrix product serves all k networks. Initialisation is PyTorch's default: weights and biases
 * uniform in ±1/√fan_in, LayerNorm γ = 1, β = 0 (ε = 1e-5); ReSine's s uniform in ±1/√h.
 */
final class FeedForward implements AutoCloseable {

    /** Parameter names in a fixed order (snapshots, optimiser moments and Polyak pair them by name). */
    static final String[] NAMES = {"w1", "b1", "gamma", "beta", "w2", "b2", "s", "w3", "b3"};

    static final float LAYER_NORM_EPSILON = 1e-5f;

    private final int k;
    private final int hidden;
    private final Map<String, NDArray> parameters;
    /** LayerNorm without its own affine part, for the ensemble, whose γ and β differ per network. */
    private final NDArray unitScale;
    private final NDArray zeroShift;

    private FeedForward(NDManager manager, int k, int hidden, Map<String, NDArray> parameters) {
        this.k = k;
        this.hidden = hidden;
        this.parameters = parameters;
        this.unitScale = manager.ones(new Shape(hidden));
        this.zeroShift = manager.zeros(new Shape(hidden));
    }

    /** One network in → h → h → out. */
    static FeedForward single(NDManager manager, int in, int hidden, int out, RandomStream random) {
        return initialised(manager, 1, in, hidden, out, random);
    }

    /** k networks in → h → h → out, stacked. */
    static FeedForward ensemble(NDManager manager, int k, int in, int hidden, int out, RandomStream random) {
        if (k < 2) {
            throw new IllegalArgumentException("an ensemble has at least 2 networks, got " + k);
        }
        return initialised(manager, k, in, hidden, out, random);
    }

    private static FeedForward initialised(NDManager manager, int k, int in, int hidden, int out,
                                           RandomStream random) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("w1", uniform(manager, random, in, matrix(k, hidden, in)));
        p.put("b1", uniform(manager, random, in, vector(k, hidden)));
        p.put("gamma", manager.ones(vector(k, hidden)));
        p.put("beta", manager.zeros(vector(k, hidden)));
        p.put("w2", uniform(manager, random, hidden, matrix(k, hidden, hidden)));
        p.put("b2", uniform(manager, random, hidden, vector(k, hidden)));
        p.put("s", uniform(manager, random, hidden, vector(k, hidden)));
        p.put("w3", uniform(manager, random, hidden, matrix(k, out, hidden)));
        p.put("b3", uniform(manager, random, hidden, vector(k, out)));
        return new FeedForward(manager, k, hidden, p);
    }

    private static Shape matrix(int k, int rows, int columns) {
        return k == 1 ? new Shape(rows, columns) : new Shape(k, rows, columns);
    }

    private static Shape vector(int k, int length) {
        return k == 1 ? new Shape(length) : new Shape(k, 1, length);
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
     * The input given in column blocks whose concatenation is the network's input, (B, in_j) each
     * and shared by all k networks, → (B, out) for one network, (k, B, out) for an ensemble. The
     * first layer multiplies each block by its own columns of W1, so a block that needs no
     * gradient (the target critics' states) costs no backward work. A dropout mask, if given,
     * has the output's shape.
     */
    NDArray forward(NDArray dropoutMask, NDArray... inputBlocks) {
        NDArray y = firstLayer(inputBlocks);
        y = layerNorm(y);
        y = linear(y, parameters.get("w2"), parameters.get("b2"));
        y = ReSine.apply(y, parameters.get("s"));
        y = linear(y, parameters.get("w3"), parameters.get("b3"));
        return GradientDropout.apply(y, dropoutMask);
    }

    private NDArray firstLayer(NDArray[] blocks) {
        NDArray w1 = parameters.get("w1");
        NDArray b1 = parameters.get("b1");
        if (blocks.length == 1) {
            return linear(blocks[0], w1, b1);
        }
        NDArray sum = null;
        long column = 0;
        for (NDArray block : blocks) {
            long width = block.getShape().get(1);
            NDArray columns = w1.get(new NDIndex("..., {}:{}", column, column + width));
            NDArray part = block.matMul(columns.transpose(k == 1 ? new int[] {1, 0} : new int[] {0, 2, 1}));
            sum = sum == null ? part : sum.add(part);
            column += width;
        }
        return sum.add(b1);
    }

    private NDArray layerNorm(NDArray x) {
        if (k == 1) {
            return x.getNDArrayInternal().layerNorm(x, new Shape(hidden), parameters.get("gamma"),
                    parameters.get("beta"), LAYER_NORM_EPSILON).singletonOrThrow();
        }
        return x.getNDArrayInternal().layerNorm(x, new Shape(hidden), unitScale, zeroShift, LAYER_NORM_EPSILON)
                .singletonOrThrow().mul(parameters.get("gamma")).add(parameters.get("beta"));
    }

    /** x·Wᵀ + b: PyTorch's fused linear for one network, a batched product for an ensemble. */
    private NDArray linear(NDArray x, NDArray w, NDArray b) {
        if (k == 1) {
            return Linear.linear(x, w, b).singletonOrThrow();
        }
        return x.matMul(w.transpose(0, 2, 1)).add(b);
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
        unitScale.close();
        zeroShift.close();
    }
}
