package org.symphonyrl.core;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the tests that compute with arrays of their own: one PyTorch manager per test class. */
abstract class WithPyTorch {

    static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = Engine.getEngine(PyTorchComputeEngine.ENGINE).newBaseManager();
    }

    @AfterAll
    static void release() {
        manager.close();
    }
}
