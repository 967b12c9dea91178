"""The server against Gymnasium in-process: same spaces, same seeded trajectories, same episode ends."""
import gymnasium as gym
import numpy as np
import pytest

from symphony_bridge.protocol import BridgeError


@pytest.mark.parametrize("env_id, obs_size, act_size", [("Hopper-v5", 11, 3), ("Humanoid-v5", 348, 17)])
def test_spec_matches_gymnasium(client, env_id, obs_size, act_size):
    handle, spec, (obs_low, obs_high, act_low, act_high) = client.make(env_id)
    reference = gym.make(env_id)
    assert spec == {"id": env_id, "observation_size": obs_size, "action_size": act_size, "max_episode_steps": 1000}
    np.testing.assert_array_equal(act_low, reference.action_space.low.astype(np.float32))
    np.testing.assert_array_equal(act_high, reference.action_space.high.astype(np.float32))
    np.testing.assert_array_equal(obs_low, reference.observation_space.low.astype(np.float32))
    np.testing.assert_array_equal(obs_high, reference.observation_space.high.astype(np.float32))
    assert np.all(np.isinf(obs_high))  # MuJoCo observations are unbounded: infinities survive float32 frames
    client.close_env(handle)


def test_seeded_trajectory_equals_in_process(client):
    handle, _, _ = client.make("Hopper-v5")
    reference = gym.make("Hopper-v5")
    obs = client.reset(handle, seed=42)
    expected, _ = reference.reset(seed=42)
    np.testing.assert_array_equal(obs, expected.astype(np.float32))
    rng = np.random.default_rng(7)
    for _ in range(30):
        action = rng.uniform(-1, 1, 3).astype(np.float32)
        obs, reward, terminated, truncated, info = client.step(handle, action)
        e_obs, e_reward, e_terminated, e_truncated, e_info = reference.step(action)
        np.testing.assert_array_equal(obs, e_obs.astype(np.float32))
        assert reward == e_reward  # float64 survives JSON exactly
        assert (terminated, truncated) == (e_terminated, e_truncated)
        assert info["x_position"] == e_info["x_position"]
        if terminated:
            break
    client.close_env(handle)


def test_reset_without_seed_continues_the_generator(client):
    handle, _, _ = client.make("Hopper-v5")
    reference = gym.make("Hopper-v5")
    client.reset(handle, seed=3)
    reference.reset(seed=3)
    np.testing.assert_array_equal(client.reset(handle), reference.reset()[0].astype(np.float32))
    client.close_env(handle)


def test_seed_above_signed_range_is_served(client):
    handle, _, _ = client.make("Hopper-v5")
    reference = gym.make("Hopper-v5")
    seed = 2 ** 64 - 1  # the Java side maps negative longs to their unsigned value
    np.testing.assert_array_equal(client.reset(handle, seed=seed), reference.reset(seed=seed)[0].astype(np.float32))
    client.close_env(handle)


def test_hopper_falls_and_is_terminated_as_in_gymnasium(client):
    handle, _, _ = client.make("Hopper-v5")
    reference = gym.make("Hopper-v5")
    client.reset(handle, seed=1)
    reference.reset(seed=1)
    action = np.array([1.0, -1.0, 1.0], dtype=np.float32)  # flails: unhealthy within a few dozen steps
    for step in range(1, 1001):
        _, _, terminated, truncated, _ = client.step(handle, action)
        _, _, e_terminated, e_truncated, _ = reference.step(action)
        assert (terminated, truncated) == (e_terminated, e_truncated)
        if terminated:
            break
    assert terminated and not truncated and step < 1000
    with pytest.raises(BridgeError) as e:
        client.step(handle, action)
    assert e.value.code == "not_reset"
    client.close_env(handle)


def test_time_limit_truncates_as_in_gymnasium(client):
    handle, spec, _ = client.make("InvertedPendulum-v5", max_episode_steps=5)
    assert spec["max_episode_steps"] == 5
    client.reset(handle, seed=0)
    ends = [client.step(handle, np.zeros(1, np.float32))[2:4] for _ in range(5)]
    assert ends == [(False, False)] * 4 + [(False, True)]
    client.close_env(handle)


def test_several_environments_on_one_server_are_independent(client):
    a, _, _ = client.make("Hopper-v5")
    b, _, _ = client.make("Hopper-v5")
    assert a != b
    first = client.reset(a, seed=5)
    client.reset(b, seed=6)
    for _ in range(3):
        client.step(b, np.ones(3, np.float32))
    np.testing.assert_array_equal(client.reset(a, seed=5), first)
    client.close_env(a)
    client.close_env(b)
