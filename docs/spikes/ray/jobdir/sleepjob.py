import ray, time
ray.init()
@ray.remote(num_cpus=0)
def nap(t):
    time.sleep(t); return ray.util.get_node_ip_address()
print(ray.get([nap.options(resources={"io_device_A": 1}).remote(120), nap.options(resources={"io_device_B": 1}).remote(120)]))
