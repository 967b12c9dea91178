/**
 * Service contracts of Symphony RL: environments, agents, replay buffers, presets and
 * training listeners, with the value types that cross between them.
 *
 * <p>Only these types (and primitive arrays) cross a bundle boundary, so a bundle that
 * leaves during a hot swap leaves no class behind in a live run.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.symphonyrl.api;
