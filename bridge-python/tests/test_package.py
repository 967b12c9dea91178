import symphony_bridge


def test_protocol_version_is_major_dot_minor():
    major, minor = symphony_bridge.PROTOCOL_VERSION.split(".")
    assert major.isdigit() and minor.isdigit()
