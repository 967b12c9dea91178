package org.symphonyrl.env.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.symphonyrl.api.StepResult;

/**
 * The Java Pendulum against Gymnasium's Pendulum-v1 itself: trajectories from set states under fixed torques
 * (many outside +-2), with gravity options, and the first observations of seeded and continued resets.
 */
class PendulumGoldenTest {

    /*
     * On x86-64 with HotSpot every number below matches bit for bit. The tolerances leave room for a platform
     * whose sin/cos differ from numpy's libm in the last bit (a float64 ulp can flip a float32 rounding).
     */
    private static final float OBSERVATION_TOLERANCE = 1e-6f;
    private static final double REWARD_TOLERANCE = 1e-9;

    @Test
    void trajectoriesFromSetStatesMatchGymnasium() {
        for (JsonObject c : Golden.cases("trajectories.json")) {
            String name = c.get("name").getAsString();
            JsonElement g = c.get("g");
            Pendulum env = Pendulum.make(g.isJsonNull() ? Map.of() : Map.of("g", g.getAsDouble()));
            env.reset(0);
            env.setState(c.get("theta").getAsDouble(), c.get("thetaDot").getAsDouble());
            float[] actions = Golden.floats(c.get("actions"));
            int step = 0;
            for (JsonElement e : c.getAsJsonArray("steps")) {
                JsonObject expected = e.getAsJsonObject();
                if (step == Pendulum.MAX_EPISODE_STEPS) {
                    // Gymnasium's TimeLimit lets a truncated episode go on; ours insists on a reset.
                    int at = step;
                    assertThrows(IllegalStateException.class, () -> env.step(new float[] {actions[at]}), name);
                    break;
                }
                StepResult r = env.step(new float[] {actions[step]});
                String where = name + " step " + (step + 1);
                assertArrayEquals(Golden.floats(expected.get("observation")), r.observation(),
                        OBSERVATION_TOLERANCE, where);
                assertEquals(expected.get("reward").getAsDouble(), r.reward(), REWARD_TOLERANCE, where);
                assertEquals(expected.get("terminated").getAsBoolean(), r.terminated(), where);
                assertEquals(expected.get("truncated").getAsBoolean(), r.truncated(), where);
                step++;
            }
        }
    }

    @Test
    void oneTrajectoryRunsIntoTheTimeLimit() {
        JsonObject longest = Golden.cases("trajectories.json").get(0);
        assertTrue(longest.getAsJsonArray("steps").size() > Pendulum.MAX_EPISODE_STEPS);
        assertTrue(longest.getAsJsonArray("steps").get(Pendulum.MAX_EPISODE_STEPS - 1).getAsJsonObject()
                .get("truncated").getAsBoolean());
        assertFalse(longest.getAsJsonArray("steps").get(Pendulum.MAX_EPISODE_STEPS - 2).getAsJsonObject()
                .get("truncated").getAsBoolean());
    }

    @Test
    void seededResetsStartWhereGymnasiumStarts() {
        for (JsonObject c : Golden.cases("seeded_resets.json")) {
            String seed = c.get("seed").getAsString();
            Pendulum env = Pendulum.make(Map.of());
            float[] first = env.reset(c.get("javaSeed").getAsLong());
            assertArrayEquals(Golden.doubles(c.get("state")), env.state(), "state after reset(seed=" + seed + ")");
            assertArrayEquals(Golden.floats(c.get("observation")), first, OBSERVATION_TOLERANCE, "seed " + seed);
            int n = 1;
            for (JsonElement continued : c.getAsJsonArray("continued")) {
                assertArrayEquals(Golden.floats(continued), env.reset(), OBSERVATION_TOLERANCE,
                        "reset " + ++n + " after reset(seed=" + seed + ")");
            }
        }
    }
}
