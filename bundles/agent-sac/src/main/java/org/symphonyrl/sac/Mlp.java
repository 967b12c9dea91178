package org.symphonyrl.sac;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.LinkedHashMap;
import java.util.Map;
import org.symphonyrl.api.random.RandomStream;

/**
 * The network shape every SAC network uses: {@code Linear(in→h) → ReLU → Linear(h→h) → ReLU → Linear(h→out)}.
 * Weights have PyTorch's shapes ((out, in)) and its default initialisation, weights and biases uniform in
 * ±1/√fan_in, so results compare with PyTorch implementations.
 */
final class Mlp implements AutoCloseable {

    /** Parameter names in a fixed order (snapshots, optimiser moments and Polyak pair them by name). */
    static final String[] NAMES = {"w1", "b1", "w2", "b2", "w3", "b3"};

    private final Map<String, NDArray> parameters;

    private Mlp(Map<String, NDArray> parameters) {
        this.parameters = parameters;
    }

    /** A freshly initialised network in → h → h → out, drawn from {@code random} in {@link #NAMES} order. */
    static Mlp initialised(NDManager manager, int in, int hidden, int out, RandomStream random) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("w1", uniform(manager, random, in, new Shape(hidden, in)));
        p.put("b1", uniform(manager, random, in, new Shape(hidden)));
        p.put("w2", uniform(manager, random, hidden, new Shape(hidden, hidden)));
        p.put("b2", uniform(manager, random, hidden, new Shape(hidden)));
        p.put("w3", uniform(manager, random, hidden, new Shape(out, hidden)));
        p.put("b3", uniform(manager, random, hidden, new Shape(out)));
        return new Mlp(p);
    }

    /** An independent copy (the target networks start as copies of the online ones). */
    Mlp copy(NDManager manager) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        parameters.forEach((name, array) -> {
            NDArray copy = manager.create(array.getShape());
            InPlace.copy(array, copy);
            p.put(name, copy);
        });
        return new Mlp(p);
    }

    /** The parameters by name, in {@link #NAMES} order (live arrays). */
    Map<String, NDArray> parameters() {
        return parameters;
    }

    /** Makes every parameter collect gradients (online networks only). */
    void requireGradients() {
        parameters.values().forEach(p -> p.setRequiresGradient(true));
    }

    /** (B, in) → (B, out). */
    NDArray forward(NDArray input) {
        return forward(input, false);
    }

    /**
     * (B, in) → (B, out); with {@code frozen} the parameters enter as constants, so backpropagation reaches
     * the input (the policy's actions in its loss) without computing or collecting gradients for them.
     */
    NDArray forward(NDArray input, boolean frozen) {
        NDArray y = layer(input, "w1", "b1", frozen).getNDArrayInternal().relu();
        y = layer(y, "w2", "b2", frozen).getNDArrayInternal().relu();
        return layer(y, "w3", "b3", frozen);
    }

    private NDArray layer(NDArray x, String weight, String bias, boolean frozen) {
        NDArray w = parameters.get(weight);
        NDArray b = parameters.get(bias);
        return frozen
                ? Linear.linear(x, w.stopGradient(), b.stopGradient()).singletonOrThrow()
                : Linear.linear(x, w, b).singletonOrThrow();
    }

    private static NDArray uniform(NDManager manager, RandomStream random, int fanIn, Shape shape) {
        double bound = 1 / Math.sqrt(fanIn);
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
        return manager.create(values, shape);
    }

    @Override
    public void close() {
        parameters.values().forEach(NDArray::close);
    }
}
