//! The CUDA backend (feature `cuda`): the product on an NVIDIA GPU through the driver API.
//!
//! Why the driver is loaded at run time (libloading) rather than linked: the crate, the worker
//! and the tests must build on machines with no CUDA toolkit and no GPU, and a worker without a
//! GPU must say so in words instead of failing to start on a missing shared library. Why PTX:
//! the driver JIT-compiles it for whatever GPU is present, so no nvcc is needed at build time.
//!
//! The kernel is deliberately plain (one thread per entry of C, `dp4a` over 4 int8 pairs at a
//! time, coalesced reads of B); a later issue calibrates and speeds it up on real GPUs. It is
//! exact, so its C is the CPU backend's C byte for byte. Not yet run on a GPU in this repository.
use super::Backend;
use crate::error::BackendError;
use libloading::Library;
use std::ffi::{c_char, c_int, c_uint, c_void, CStr, CString};

/// C = A·B4 for n×n int8 A (row-major) and B in "B4" layout: the 4 entries B[4q..4q+4, j] are
/// the 4 bytes at B4[(q·n + j)·4], so thread j of a warp reads the 4-byte word next to thread
/// j−1's (coalesced) and feeds it to one `dp4a` with the word A[i, 4q..4q+4].
/// Grid: x over columns j, y over rows i, 16×16 threads per block.
const PTX: &str = r#"
.version 6.0
.target sm_61
.address_size 64

.visible .entry io_gemm_i8(
	.param .u64 p_a,
	.param .u64 p_b4,
	.param .u64 p_c,
	.param .u32 p_n
)
{
	.reg .pred 	%p<4>;
	.reg .b32 	%r<16>;
	.reg .b64 	%rd<16>;

	ld.param.u64 	%rd1, [p_a];
	ld.param.u64 	%rd2, [p_b4];
	ld.param.u64 	%rd3, [p_c];
	ld.param.u32 	%r1, [p_n];
	cvta.to.global.u64 	%rd1, %rd1;
	cvta.to.global.u64 	%rd2, %rd2;
	cvta.to.global.u64 	%rd3, %rd3;
	mov.u32 	%r2, %ctaid.x;
	mov.u32 	%r3, %ntid.x;
	mov.u32 	%r4, %tid.x;
	mad.lo.u32 	%r5, %r2, %r3, %r4;
	mov.u32 	%r2, %ctaid.y;
	mov.u32 	%r3, %ntid.y;
	mov.u32 	%r4, %tid.y;
	mad.lo.u32 	%r6, %r2, %r3, %r4;
	setp.ge.u32 	%p1, %r5, %r1;
	setp.ge.u32 	%p2, %r6, %r1;
	or.pred 	%p3, %p1, %p2;
	@%p3 bra 	$L_done;
	mul.wide.u32 	%rd4, %r6, %r1;
	add.s64 	%rd5, %rd1, %rd4;
	mul.wide.u32 	%rd6, %r5, 4;
	add.s64 	%rd7, %rd2, %rd6;
	mul.wide.u32 	%rd8, %r1, 4;
	shr.u32 	%r7, %r1, 2;
	mov.u32 	%r8, 0;
	mov.u32 	%r9, 0;
$L_loop:
	ld.global.u32 	%r10, [%rd5];
	ld.global.u32 	%r11, [%rd7];
	dp4a.s32.s32 	%r8, %r10, %r11, %r8;
	add.s64 	%rd5, %rd5, 4;
	add.s64 	%rd7, %rd7, %rd8;
	add.u32 	%r9, %r9, 1;
	setp.lt.u32 	%p1, %r9, %r7;
	@%p1 bra 	$L_loop;
	cvt.u64.u32 	%rd9, %r5;
	add.s64 	%rd10, %rd4, %rd9;
	shl.b64 	%rd11, %rd10, 2;
	add.s64 	%rd12, %rd3, %rd11;
	st.global.u32 	[%rd12], %r8;
$L_done:
	ret;
}
"#;

const KERNEL: &CStr = c"io_gemm_i8";
const BLOCK: u32 = 16;

type CuResult = c_int;
type CuDevice = c_int;
type CuContext = *mut c_void;
type CuModule = *mut c_void;
type CuFunction = *mut c_void;
type CuDevicePtr = u64;

/// The driver entry points used, resolved once from libcuda.
struct Api {
    init: unsafe extern "C" fn(c_uint) -> CuResult,
    device_get_count: unsafe extern "C" fn(*mut c_int) -> CuResult,
    device_get: unsafe extern "C" fn(*mut CuDevice, c_int) -> CuResult,
    device_get_name: unsafe extern "C" fn(*mut c_char, c_int, CuDevice) -> CuResult,
    ctx_create: unsafe extern "C" fn(*mut CuContext, c_uint, CuDevice) -> CuResult,
    ctx_destroy: unsafe extern "C" fn(CuContext) -> CuResult,
    ctx_set_current: unsafe extern "C" fn(CuContext) -> CuResult,
    ctx_synchronize: unsafe extern "C" fn() -> CuResult,
    module_load_data: unsafe extern "C" fn(*mut CuModule, *const c_void) -> CuResult,
    module_get_function: unsafe extern "C" fn(*mut CuFunction, CuModule, *const c_char) -> CuResult,
    mem_alloc: unsafe extern "C" fn(*mut CuDevicePtr, usize) -> CuResult,
    mem_free: unsafe extern "C" fn(CuDevicePtr) -> CuResult,
    memcpy_htod: unsafe extern "C" fn(CuDevicePtr, *const c_void, usize) -> CuResult,
    memcpy_dtoh: unsafe extern "C" fn(*mut c_void, CuDevicePtr, usize) -> CuResult,
    #[allow(clippy::type_complexity)]
    launch_kernel: unsafe extern "C" fn(
        CuFunction,
        c_uint,
        c_uint,
        c_uint,
        c_uint,
        c_uint,
        c_uint,
        c_uint,
        *mut c_void,
        *mut *mut c_void,
        *mut *mut c_void,
    ) -> CuResult,
    get_error_string: unsafe extern "C" fn(CuResult, *mut *const c_char) -> CuResult,
}

/// Names the driver library goes by (the unversioned name needs the -dev package).
#[cfg(not(windows))]
const LIBRARY_NAMES: &[&str] = &["libcuda.so.1", "libcuda.so"];
#[cfg(windows)]
const LIBRARY_NAMES: &[&str] = &["nvcuda.dll"];

impl Api {
    fn load() -> Result<(Library, Api), BackendError> {
        let mut tried = Vec::new();
        for name in LIBRARY_NAMES {
            // SAFETY: loading the NVIDIA driver library runs its initialisers, which is what the
            // driver expects of any CUDA program.
            match unsafe { Library::new(name) } {
                Ok(lib) => {
                    let api = Self::resolve(&lib)?;
                    return Ok((lib, api));
                }
                Err(e) => tried.push(e.to_string()),
            }
        }
        Err(BackendError::NoGpu(format!(
            "the NVIDIA driver library could not be loaded ({})",
            tried.join("; ")
        )))
    }

    fn resolve(lib: &Library) -> Result<Api, BackendError> {
        macro_rules! sym {
            ($name:literal) => {
                // SAFETY: the symbol is the documented driver entry point whose C signature the
                // field's type spells out (cuda.h, driver API v2 names).
                *unsafe { lib.get(concat!($name, "\0").as_bytes()) }.map_err(|e| {
                    BackendError::NoGpu(format!(
                        "the driver library lacks {} ({e}); is it an NVIDIA driver?",
                        $name
                    ))
                })?
            };
        }
        Ok(Api {
            init: sym!("cuInit"),
            device_get_count: sym!("cuDeviceGetCount"),
            device_get: sym!("cuDeviceGet"),
            device_get_name: sym!("cuDeviceGetName"),
            ctx_create: sym!("cuCtxCreate_v2"),
            ctx_destroy: sym!("cuCtxDestroy_v2"),
            ctx_set_current: sym!("cuCtxSetCurrent"),
            ctx_synchronize: sym!("cuCtxSynchronize"),
            module_load_data: sym!("cuModuleLoadData"),
            module_get_function: sym!("cuModuleGetFunction"),
            mem_alloc: sym!("cuMemAlloc_v2"),
            mem_free: sym!("cuMemFree_v2"),
            memcpy_htod: sym!("cuMemcpyHtoD_v2"),
            memcpy_dtoh: sym!("cuMemcpyDtoH_v2"),
            launch_kernel: sym!("cuLaunchKernel"),
            get_error_string: sym!("cuGetErrorString"),
        })
    }

    fn check(&self, call: &'static str, code: CuResult) -> Result<(), BackendError> {
        if code == 0 {
            return Ok(());
        }
        let mut text: *const c_char = std::ptr::null();
        // SAFETY: cuGetErrorString writes a pointer to a static string or leaves it null.
        let message = if unsafe { (self.get_error_string)(code, &mut text) } == 0 && !text.is_null() {
            unsafe { CStr::from_ptr(text) }.to_string_lossy().into_owned()
        } else {
            "unknown error".to_owned()
        };
        Err(BackendError::Driver { call, code, message })
    }
}

/// Device buffers for one size n: A (n² bytes), B4 (n² bytes), C (4n² bytes).
struct Buffers {
    n: usize,
    a: CuDevicePtr,
    b4: CuDevicePtr,
    c: CuDevicePtr,
}

/// The CUDA backend: one context on GPU 0.
pub struct CudaBackend {
    api: Api,
    ctx: CuContext,
    kernel: CuFunction,
    buffers: Option<Buffers>,
    device_name: String,
    // Last: the library must outlive every call through `api`.
    _lib: Library,
}

/// B in the kernel's "B4" layout: B[l, j] at byte ((l/4)·n + j)·4 + l mod 4.
fn b4_layout(b: &[i8], n: usize) -> Vec<i8> {
    let mut b4 = vec![0i8; n * n];
    for (l, row) in b.chunks_exact(n).enumerate() {
        for (j, &x) in row.iter().enumerate() {
            b4[((l / 4) * n + j) * 4 + l % 4] = x;
        }
    }
    b4
}

/// Driver error codes that mean "there is no GPU to use" rather than a fault.
const CUDA_ERROR_NO_DEVICE: CuResult = 100;
const CUDA_ERROR_INSUFFICIENT_DRIVER: CuResult = 35;

impl CudaBackend {
    /// Loads the driver, takes GPU 0 and JIT-compiles the kernel. Without a driver or a GPU the
    /// error is [`BackendError::NoGpu`], whose text starts "no NVIDIA driver / GPU found".
    pub fn new() -> Result<Self, BackendError> {
        let (lib, api) = Api::load()?;
        // SAFETY (all driver calls below): arguments are valid out-pointers, the context made
        // here, or device memory this backend allocated with the sizes it passes.
        let code = unsafe { (api.init)(0) };
        if code == CUDA_ERROR_NO_DEVICE || code == CUDA_ERROR_INSUFFICIENT_DRIVER {
            return Err(BackendError::NoGpu(format!("cuInit returned {code}: no usable CUDA device")));
        }
        api.check("cuInit", code)?;
        let mut count = 0;
        api.check("cuDeviceGetCount", unsafe { (api.device_get_count)(&mut count) })?;
        if count == 0 {
            return Err(BackendError::NoGpu("the driver is loaded but reports 0 CUDA devices".into()));
        }
        let mut device = 0;
        api.check("cuDeviceGet", unsafe { (api.device_get)(&mut device, 0) })?;
        let mut name = [0 as c_char; 128];
        api.check("cuDeviceGetName", unsafe { (api.device_get_name)(name.as_mut_ptr(), 128, device) })?;
        let device_name = unsafe { CStr::from_ptr(name.as_ptr()) }.to_string_lossy().into_owned();
        let mut ctx = std::ptr::null_mut();
        api.check("cuCtxCreate", unsafe { (api.ctx_create)(&mut ctx, 0, device) })?;
        let ptx = CString::new(PTX).expect("PTX has no NUL");
        let mut module = std::ptr::null_mut();
        let mut kernel = std::ptr::null_mut();
        let loaded = api
            .check("cuModuleLoadData", unsafe { (api.module_load_data)(&mut module, ptx.as_ptr().cast()) })
            .and_then(|()| {
                api.check("cuModuleGetFunction", unsafe {
                    (api.module_get_function)(&mut kernel, module, KERNEL.as_ptr())
                })
            });
        if let Err(e) = loaded {
            unsafe { (api.ctx_destroy)(ctx) };
            return Err(e);
        }
        Ok(CudaBackend { api, ctx, kernel, buffers: None, device_name, _lib: lib })
    }

    /// The GPU's name as the driver reports it.
    pub fn device_name(&self) -> &str {
        &self.device_name
    }

    fn free_buffers(&mut self) {
        if let Some(b) = self.buffers.take() {
            for p in [b.a, b.b4, b.c] {
                // SAFETY: allocated by this backend in its context, freed once (taken above).
                unsafe { (self.api.mem_free)(p) };
            }
        }
    }

    fn alloc(&self, bytes: usize) -> Result<CuDevicePtr, BackendError> {
        let mut p = 0;
        // SAFETY: valid out-pointer; the context is current (set by the caller).
        self.api.check("cuMemAlloc", unsafe { (self.api.mem_alloc)(&mut p, bytes) })?;
        Ok(p)
    }
}

impl Drop for CudaBackend {
    fn drop(&mut self) {
        // SAFETY: the context belongs to this backend; buffers are freed before it goes.
        unsafe { (self.api.ctx_set_current)(self.ctx) };
        self.free_buffers();
        unsafe { (self.api.ctx_destroy)(self.ctx) };
    }
}

impl Backend for CudaBackend {
    fn name(&self) -> &'static str {
        "cuda"
    }

    fn load_b(&mut self, b: &[i8], n: usize) -> Result<(), BackendError> {
        // Same sides as the CPU backend (the kernel reads B in groups of 4 columns).
        if n < crate::params::MIN_N as usize || !n.is_power_of_two() {
            return Err(BackendError::BadSide(n));
        }
        if b.len() != n * n {
            return Err(BackendError::SizeMismatch { expected: n * n, got: b.len() });
        }
        // SAFETY: the context was created by this backend.
        self.api.check("cuCtxSetCurrent", unsafe { (self.api.ctx_set_current)(self.ctx) })?;
        self.free_buffers();
        let bufs = Buffers { n, a: self.alloc(n * n)?, b4: self.alloc(n * n)?, c: self.alloc(4 * n * n)? };
        self.buffers = Some(bufs);
        let b4 = b4_layout(b, n);
        let dst = self.buffers.as_ref().map_or(0, |b| b.b4);
        // SAFETY: dst holds n² bytes, b4 is n² bytes.
        self.api.check("cuMemcpyHtoD", unsafe { (self.api.memcpy_htod)(dst, b4.as_ptr().cast(), n * n) })
    }

    fn multiply(&mut self, a: &[i8], c: &mut [i32]) -> Result<(), BackendError> {
        let bufs = self.buffers.as_ref().ok_or(BackendError::NotLoaded)?;
        let n = bufs.n;
        if a.len() != n * n || c.len() != n * n {
            return Err(BackendError::SizeMismatch { expected: n * n, got: a.len() });
        }
        let api = &self.api;
        // SAFETY: the context is this backend's; the copies stay inside the buffers allocated
        // for n; the kernel's parameters are pointers to locals that outlive the launch, in the
        // order and types of the PTX entry (u64, u64, u64, u32).
        unsafe {
            api.check("cuCtxSetCurrent", (api.ctx_set_current)(self.ctx))?;
            api.check("cuMemcpyHtoD", (api.memcpy_htod)(bufs.a, a.as_ptr().cast(), n * n))?;
            let (mut pa, mut pb, mut pc, mut pn) = (bufs.a, bufs.b4, bufs.c, n as u32);
            let mut params: [*mut c_void; 4] = [
                (&mut pa as *mut u64).cast(),
                (&mut pb as *mut u64).cast(),
                (&mut pc as *mut u64).cast(),
                (&mut pn as *mut u32).cast(),
            ];
            let grid = (n as u32).div_ceil(BLOCK);
            api.check(
                "cuLaunchKernel",
                (api.launch_kernel)(
                    self.kernel,
                    grid,
                    grid,
                    1,
                    BLOCK,
                    BLOCK,
                    1,
                    0,
                    std::ptr::null_mut(),
                    params.as_mut_ptr(),
                    std::ptr::null_mut(),
                ),
            )?;
            api.check("cuCtxSynchronize", (api.ctx_synchronize)())?;
            api.check("cuMemcpyDtoH", (api.memcpy_dtoh)(c.as_mut_ptr().cast(), bufs.c, 4 * n * n))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference;

    /// The kernel's address arithmetic and `dp4a`, step for step in Rust, on the host layout:
    /// checks the layout and the kernel agree without a GPU (the PTX itself needs one).
    #[test]
    fn kernel_addressing_on_the_b4_layout_is_the_product() {
        let n = 32;
        let a: Vec<i8> = (0..n * n).map(|x| (x * 37 % 251) as u8 as i8).collect();
        let b: Vec<i8> = (0..n * n).map(|x| (x * 101 % 241) as u8 as i8).collect();
        let b4 = b4_layout(&b, n);
        let word = |m: &[i8], at: usize| -> [i8; 4] { [m[at], m[at + 1], m[at + 2], m[at + 3]] };
        let mut c = vec![0i32; n * n];
        for i in 0..n {
            for j in 0..n {
                let (mut pa, mut pb, mut acc) = (i * n, 4 * j, 0i32);
                for _ in 0..n / 4 {
                    let (x, y) = (word(&a, pa), word(&b4, pb));
                    acc += (0..4).map(|t| x[t] as i32 * y[t] as i32).sum::<i32>();
                    pa += 4;
                    pb += 4 * n;
                }
                c[i * n + j] = acc;
            }
        }
        assert_eq!(c, reference::multiply(&a, &b, n));
    }
}
