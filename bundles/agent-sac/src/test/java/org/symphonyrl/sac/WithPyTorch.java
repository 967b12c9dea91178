package org.symphonyrl.sac;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the tests that compute with arrays of their own: one PyTorch manager per test class. */
abstract class WithPyTorch {

    static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
    }

    @AfterAll
    static void release() {
        manager.close();
    }

    static NDArray array(String golden, long... shape) {
        return manager.create(SacGolden.floats(golden), new Shape(shape));
    }
}
