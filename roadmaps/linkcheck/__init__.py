"""Link checking: `http` (the one module that talks to the network), `checker` (the async
engine, no Django), `models` (LinkStatus), `services` (leases, recording results, passes, the
editors' digest), `queue` (puts checks on the broker) and `admin` (link health for editors)."""
