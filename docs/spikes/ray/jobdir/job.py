# Uses both nodes: one task pinned to each device's custom resource.
import ray, socket, time
ray.init()
@ray.remote(num_cpus=0)
def where(tag):
    return f"{tag} ran on node {ray.util.get_node_ip_address()} (node_id {ray.get_runtime_context().get_node_id()[:8]})"
t = time.time()
out = ray.get([where.options(resources={"io_device_A": 1}).remote("task-A"),
               where.options(resources={"io_device_B": 1}).remote("task-B")])
for line in out: print(line)
print("nodes:", sorted({n["NodeManagerAddress"] for n in ray.nodes() if n["Alive"]}))
print(f"tasks took {time.time()-t:.2f}s")
