//! NVML (`libnvidia-ml.so.1`), loaded at run time with libloading: the worker builds and runs on
//! machines without an NVIDIA driver, and says so. Only the calls the worker needs: identity
//! (name, UUID, memory, driver) and live figures (temperature, power, utilisation).
use libloading::{Library, Symbol};
use std::ffi::{c_char, c_int, c_uint, c_void, CStr};

type Ret = c_int;
type Handle = *mut c_void;
const SUCCESS: Ret = 0;
const TEMPERATURE_GPU: c_uint = 0;
const LIBRARY: &str = "libnvidia-ml.so.1";

#[repr(C)]
#[derive(Default)]
struct Memory {
    total: u64,
    free: u64,
    used: u64,
}

#[repr(C)]
#[derive(Default)]
struct Utilization {
    gpu: c_uint,
    memory: c_uint,
}

/// One GPU as NVML names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GpuInfo {
    pub index: u32,
    pub name: String,
    pub uuid: String,
    pub memory_bytes: u64,
}

/// An initialised NVML. Dropping it shuts NVML down.
pub struct Nvml {
    lib: Library,
}

// NVML is thread-safe (NVML API reference, "Thread safety"); the library handle only holds
// function addresses.
unsafe impl Send for Nvml {}
unsafe impl Sync for Nvml {}

impl Nvml {
    /// Loads and initialises NVML, or says why it cannot.
    pub fn load() -> Result<Nvml, String> {
        // SAFETY: loading a shared library runs its initialisers; NVML's are the driver's own.
        let lib = unsafe { Library::new(LIBRARY) }
            .map_err(|e| format!("{LIBRARY} could not be loaded ({e}): no NVIDIA driver on this machine"))?;
        let nvml = Nvml { lib };
        // SAFETY: nvmlInit_v2 takes no arguments.
        let ret = unsafe { nvml.sym::<unsafe extern "C" fn() -> Ret>(b"nvmlInit_v2\0")?() };
        if ret != SUCCESS {
            return Err(format!("nvmlInit_v2 failed: {}", nvml.error(ret)));
        }
        Ok(nvml)
    }

    fn sym<T>(&self, name: &[u8]) -> Result<Symbol<'_, T>, String> {
        // SAFETY: each call site names the C signature of the NVML function it looks up.
        unsafe { self.lib.get(name) }.map_err(|e| {
            format!("{LIBRARY} has no {}: {e}", String::from_utf8_lossy(&name[..name.len() - 1]))
        })
    }

    fn error(&self, ret: Ret) -> String {
        match self.sym::<unsafe extern "C" fn(Ret) -> *const c_char>(b"nvmlErrorString\0") {
            // SAFETY: nvmlErrorString returns a static NUL-terminated string.
            Ok(f) => unsafe { CStr::from_ptr(f(ret)) }.to_string_lossy().into_owned() + &format!(" ({ret})"),
            Err(_) => format!("NVML error {ret}"),
        }
    }

    fn check(&self, call: &str, ret: Ret) -> Result<(), String> {
        if ret == SUCCESS {
            Ok(())
        } else {
            Err(format!("{call}: {}", self.error(ret)))
        }
    }

    fn string(&self, call: &str, f: impl FnOnce(*mut c_char, c_uint) -> Ret) -> Result<String, String> {
        let mut buf = [0 as c_char; 256];
        self.check(call, f(buf.as_mut_ptr(), buf.len() as c_uint))?;
        // SAFETY: NVML NUL-terminates what it writes within the length given.
        Ok(unsafe { CStr::from_ptr(buf.as_ptr()) }.to_string_lossy().into_owned())
    }

    pub fn driver_version(&self) -> Result<String, String> {
        let f =
            self.sym::<unsafe extern "C" fn(*mut c_char, c_uint) -> Ret>(b"nvmlSystemGetDriverVersion\0")?;
        // SAFETY: buffer and its length.
        self.string("nvmlSystemGetDriverVersion", |b, n| unsafe { f(b, n) })
    }

    pub fn count(&self) -> Result<u32, String> {
        let f = self.sym::<unsafe extern "C" fn(*mut c_uint) -> Ret>(b"nvmlDeviceGetCount_v2\0")?;
        let mut n: c_uint = 0;
        // SAFETY: out pointer to a c_uint.
        self.check("nvmlDeviceGetCount_v2", unsafe { f(&mut n) })?;
        Ok(n)
    }

    fn handle(&self, index: u32) -> Result<Handle, String> {
        let f =
            self.sym::<unsafe extern "C" fn(c_uint, *mut Handle) -> Ret>(b"nvmlDeviceGetHandleByIndex_v2\0")?;
        let mut h: Handle = std::ptr::null_mut();
        // SAFETY: out pointer to a device handle.
        self.check("nvmlDeviceGetHandleByIndex_v2", unsafe { f(index, &mut h) })?;
        Ok(h)
    }

    /// Name, UUID and memory of GPU `index`.
    pub fn gpu(&self, index: u32) -> Result<GpuInfo, String> {
        let h = self.handle(index)?;
        type StrFn = unsafe extern "C" fn(Handle, *mut c_char, c_uint) -> Ret;
        let name_f = self.sym::<StrFn>(b"nvmlDeviceGetName\0")?;
        let uuid_f = self.sym::<StrFn>(b"nvmlDeviceGetUUID\0")?;
        let mem_f =
            self.sym::<unsafe extern "C" fn(Handle, *mut Memory) -> Ret>(b"nvmlDeviceGetMemoryInfo\0")?;
        // SAFETY: a handle from NVML, buffers with their lengths, an out struct of NVML's layout.
        let name = self.string("nvmlDeviceGetName", |b, n| unsafe { name_f(h, b, n) })?;
        let uuid = self.string("nvmlDeviceGetUUID", |b, n| unsafe { uuid_f(h, b, n) })?;
        let mut mem = Memory::default();
        self.check("nvmlDeviceGetMemoryInfo", unsafe { mem_f(h, &mut mem) })?;
        Ok(GpuInfo { index, name, uuid, memory_bytes: mem.total })
    }

    /// Core temperature, °C.
    pub fn temperature_c(&self, index: u32) -> Result<f64, String> {
        let h = self.handle(index)?;
        let f = self
            .sym::<unsafe extern "C" fn(Handle, c_uint, *mut c_uint) -> Ret>(b"nvmlDeviceGetTemperature\0")?;
        let mut t: c_uint = 0;
        // SAFETY: handle, sensor type, out pointer.
        self.check("nvmlDeviceGetTemperature", unsafe { f(h, TEMPERATURE_GPU, &mut t) })?;
        Ok(f64::from(t))
    }

    /// Power draw of the board, W (NVML reports mW).
    pub fn power_w(&self, index: u32) -> Result<f64, String> {
        let h = self.handle(index)?;
        let f = self.sym::<unsafe extern "C" fn(Handle, *mut c_uint) -> Ret>(b"nvmlDeviceGetPowerUsage\0")?;
        let mut mw: c_uint = 0;
        // SAFETY: handle, out pointer.
        self.check("nvmlDeviceGetPowerUsage", unsafe { f(h, &mut mw) })?;
        Ok(f64::from(mw) / 1000.0)
    }

    /// Share of the last sample period a kernel ran, %.
    pub fn utilisation_pct(&self, index: u32) -> Result<f64, String> {
        let h = self.handle(index)?;
        let f = self.sym::<unsafe extern "C" fn(Handle, *mut Utilization) -> Ret>(
            b"nvmlDeviceGetUtilizationRates\0",
        )?;
        let mut u = Utilization::default();
        // SAFETY: handle, out struct of NVML's layout.
        self.check("nvmlDeviceGetUtilizationRates", unsafe { f(h, &mut u) })?;
        Ok(f64::from(u.gpu))
    }
}

impl Drop for Nvml {
    fn drop(&mut self) {
        if let Ok(f) = self.sym::<unsafe extern "C" fn() -> Ret>(b"nvmlShutdown\0") {
            // SAFETY: paired with the successful nvmlInit_v2 in `load`.
            unsafe { f() };
        }
    }
}
