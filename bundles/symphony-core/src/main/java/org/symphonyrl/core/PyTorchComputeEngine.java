package org.symphonyrl.core;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.osgi.service.component.annotations.Component;
import org.symphonyrl.api.ComputeEngine;

/** DJL's PyTorch engine, loaded once per JVM from the launcher class path (offline native jar). */
@Component(service = ComputeEngine.class, property = "symphony.engine=PyTorch")
public final class PyTorchComputeEngine implements ComputeEngine {

    static final String ENGINE = "PyTorch";

    @Override
    public String name() {
        return Engine.getEngine(ENGINE).getEngineName();
    }

    @Override
    public String version() {
        return Engine.getEngine(ENGINE).getVersion();
    }

    @Override
    public float[] matmul(float[] a, float[] b, int m, int k, int n) {
        if (a.length != m * k || b.length != k * n) {
            throw new IllegalArgumentException("matmul: A must be " + m + "x" + k + " and B " + k + "x" + n
                    + ", got lengths " + a.length + " and " + b.length);
        }
        try (NDManager manager = Engine.getEngine(ENGINE).newBaseManager()) {
            NDArray left = manager.create(a, new Shape(m, k));
            NDArray right = manager.create(b, new Shape(k, n));
            return left.matMul(right).toFloatArray();
        }
    }
}
