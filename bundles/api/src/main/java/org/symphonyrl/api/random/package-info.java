/** A random stream whose state can be saved and restored, so every run is reproducible from one seed. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.symphonyrl.api.random;
