"""Link checking: `http` (the one module that talks to the network), `checker` (the async
engine, no Django), `services` (leases, recording results, passes, the editors' digest)."""
