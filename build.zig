//! The map of the house: deps -> libraries -> binaries per target -> tests.
//!
//!   zig build            stripped static ReleaseSmall binaries for linux-amd64 and
//!                        linux-arm64 under zig-out/<os-arch>/, the host's under zig-out/bin/
//!   zig build test       every suite (unit natively and under qemu-aarch64, integration)
//!   zig build demo       a sample service under lucid-init as PID 1, dropped and stopped
//!   zig build bench      size and speed targets against the reference tools
//!
//! Third-party C code comes from Debian source packages that deps/fetch downloads,
//! checks against deps/deps.lock and unpacks into .cache/deps/src; nothing of it is
//! committed.
const std = @import("std");

const version = "0.1.0";

const Platform = struct {
    /// Docker's TARGETOS-TARGETARCH spelling, used as the install directory.
    dir: []const u8,
    query: std.Target.Query,
};

const platforms = [_]Platform{
    .{ .dir = "linux-amd64", .query = .{ .cpu_arch = .x86_64, .os_tag = .linux, .abi = .musl } },
    .{ .dir = "linux-arm64", .query = .{ .cpu_arch = .aarch64, .os_tag = .linux, .abi = .musl } },
};

/// Our own C: strict, and every function and object in its own section so the
/// linker can drop what a binary does not call.
const own_flags: []const []const u8 = &.{
    "-std=c11",              "-D_GNU_SOURCE",         "-Wall",              "-Wextra",
    "-Werror",               "-Wshadow",              "-Wstrict-prototypes", "-Wvla",
    "-ffunction-sections",   "-fdata-sections",       "-DLUCID_VERSION=\"" ++ version ++ "\"",
};

/// Third-party C is compiled as its authors wrote it; only sectioning is added.
const dep_flags: []const []const u8 = &.{
    "-std=gnu11", "-D_GNU_SOURCE", "-ffunction-sections", "-fdata-sections", "-w",
};

const common_sources: []const []const u8 = &.{
    "common/fmt.c",
    "common/log.c",
    "common/parse.c",
    "common/clock.c",
};

const init_sources: []const []const u8 = &.{
    "init/main.c",
    "init/options.c",
    "init/signals.c",
    "init/reap.c",
    "init/supervise.c",
    "init/spawn.c",
    "init/privdrop.c",
    "init/passwd.c",
    "init/procfs.c",
    "init/audit.c",
    "init/sys.c",
    "init/libc_small.c",
};

const health_sources: []const []const u8 = &.{
    "healthcheck/main.c",
    "healthcheck/options.c",
    "healthcheck/help.c",
    "healthcheck/url.c",
    "healthcheck/status.c",
    "healthcheck/http.c",
    "healthcheck/chunked.c",
    "healthcheck/match.c",
    "healthcheck/resolve.c",
    "healthcheck/conn.c",
    "healthcheck/errors.c",
    "healthcheck/probe.c",
};

/// What a C program links against, besides libc.
const Libs = struct {
    capng: bool = false,
    cmocka: bool = false,
};

/// A cmocka suite: one test file plus the modules under test (and their fakes).
const UnitTest = struct {
    name: []const u8,
    sources: []const []const u8,
    libs: Libs = .{},
};

const unit_tests = [_]UnitTest{
    .{ .name = "test_common", .sources = &.{ "tests/unit/test_common.c", "common/fmt.c", "common/parse.c" } },
    .{ .name = "test_options", .sources = &.{ "tests/unit/test_options.c", "init/options.c", "common/fmt.c", "common/log.c", "common/parse.c" }, .libs = .{ .capng = true } },
    .{ .name = "test_passwd", .sources = &.{ "tests/unit/test_passwd.c", "init/passwd.c", "init/privdrop.c", "common/fmt.c", "common/log.c", "common/parse.c" }, .libs = .{ .capng = true } },
    .{ .name = "test_procfs", .sources = &.{ "tests/unit/test_procfs.c", "init/procfs.c", "init/audit.c", "common/log.c", "common/fmt.c", "common/parse.c" } },
    .{ .name = "test_libc_small", .sources = &.{"tests/unit/test_libc_small.c"} },
    .{ .name = "test_reap", .sources = &.{ "tests/unit/test_reap.c", "init/reap.c", "init/supervise.c", "init/signals.c", "init/procfs.c", "tests/unit/fake_sys.c", "common/fmt.c", "common/log.c", "common/parse.c", "common/clock.c" } },
    .{ .name = "test_url", .sources = &.{ "tests/unit/test_url.c", "healthcheck/url.c", "common/fmt.c", "common/parse.c" } },
    .{ .name = "test_status", .sources = &.{ "tests/unit/test_status.c", "healthcheck/status.c", "common/fmt.c", "common/parse.c" } },
    .{ .name = "test_http", .sources = &.{ "tests/unit/test_http.c", "healthcheck/http.c", "healthcheck/chunked.c", "common/fmt.c", "common/parse.c" } },
    .{ .name = "test_match", .sources = &.{ "tests/unit/test_match.c", "healthcheck/match.c" } },
    .{ .name = "test_health_options", .sources = &.{ "tests/unit/test_health_options.c", "healthcheck/options.c", "healthcheck/help.c", "healthcheck/url.c", "healthcheck/status.c", "healthcheck/http.c", "common/fmt.c", "common/parse.c" } },
};

/// Small programs the integration tests run as services and servers.
const test_tools = [_][]const u8{
    "sigrecord",
    "orphans",
    "credcheck",
    "bindport",
    "hostile-server",
};

const Deps = struct {
    capng: *std.Build.Step.Compile,
    cmocka: *std.Build.Step.Compile,
};

pub fn build(b: *std.Build) void {
    const optimize = b.option(std.builtin.OptimizeMode, "optimize", "Optimisation of every binary (default ReleaseSmall)") orelse .ReleaseSmall;

    // deps: download, verify and unpack the pinned Debian source packages.
    const fetch = b.addSystemCommand(&.{"deps/fetch"});
    fetch.setCwd(b.path("."));
    fetch.has_side_effects = true;
    fetch.stdio = .inherit;

    const host_arch = b.graph.host.result.cpu.arch;
    var host_built = false;
    for (platforms) |p| {
        const target = b.resolveTargetQuery(p.query);
        const is_host = p.query.cpu_arch.? == host_arch;
        addPlatform(b, target, p.dir, optimize, &fetch.step, is_host);
        host_built = host_built or is_host;
    }
    if (!host_built) {
        // A host that is neither amd64 nor arm64 still gets its own tools in bin/.
        const native = b.resolveTargetQuery(.{ .abi = .musl });
        addPlatform(b, native, "native", optimize, &fetch.step, true);
    }

    addScriptStep(b, "test", "Run every test suite (unit, integration) and print the summary", "tests/run");
    addScriptStep(b, "demo", "Start a sample service under lucid-init as PID 1, dropped to 65532, stop it with SIGTERM", "tests/demo");
    addScriptStep(b, "bench", "Measure sizes and speed against tini and curl", "bench/run");
}

/// Everything for one target: its dependency libraries, the shipped binaries
/// under zig-out/<dir>/, and the unit tests and test tools under zig-out/tests/<dir>/.
fn addPlatform(
    b: *std.Build,
    target: std.Build.ResolvedTarget,
    dir: []const u8,
    optimize: std.builtin.OptimizeMode,
    fetch: *std.Build.Step,
    is_host: bool,
) void {
    const deps: Deps = .{
        .capng = addLibCapNg(b, target, optimize, fetch),
        .cmocka = addCmocka(b, target, optimize, fetch),
    };

    const programs = [_]struct { name: []const u8, sources: []const []const u8, libs: Libs }{
        .{ .name = "lucid-init", .sources = init_sources, .libs = .{ .capng = true } },
        .{ .name = "lucid-health", .sources = health_sources, .libs = .{} },
    };
    for (programs) |prog| {
        const exe = addProgram(b, target, optimize, deps, prog.name, &.{ prog.sources, common_sources }, prog.libs, true);
        install(b, exe, dir);
        if (is_host) b.getInstallStep().dependOn(&b.addInstallArtifact(exe, .{}).step);
    }

    const test_dir = b.fmt("tests/{s}", .{dir});
    for (unit_tests) |t| {
        var libs = t.libs;
        libs.cmocka = true;
        const exe = addProgram(b, target, optimize, deps, t.name, &.{t.sources}, libs, false);
        exe.root_module.addIncludePath(b.path("tests/unit"));
        install(b, exe, test_dir);
    }
    for (test_tools) |name| {
        const src = b.fmt("tests/tools/{s}.c", .{name});
        const exe = addProgram(b, target, optimize, deps, name, &.{ &.{src}, common_sources }, .{}, true);
        install(b, exe, test_dir);
    }
}

fn install(b: *std.Build, exe: *std.Build.Step.Compile, dir: []const u8) void {
    b.getInstallStep().dependOn(&b.addInstallArtifact(exe, .{
        .dest_dir = .{ .override = .{ .custom = dir } },
    }).step);
}

/// A static executable from our own sources.
fn addProgram(
    b: *std.Build,
    target: std.Build.ResolvedTarget,
    optimize: std.builtin.OptimizeMode,
    deps: Deps,
    name: []const u8,
    source_lists: []const []const []const u8,
    libs: Libs,
    strip: bool,
) *std.Build.Step.Compile {
    const mod = b.createModule(.{
        .target = target,
        .optimize = optimize,
        .link_libc = true,
        .strip = strip,
        .single_threaded = true,
    });
    for (source_lists) |files| mod.addCSourceFiles(.{ .files = files, .flags = own_flags });
    mod.addIncludePath(b.path("."));
    if (libs.capng) {
        mod.linkLibrary(deps.capng);
        mod.addIncludePath(depPath(b, "libcap-ng/src"));
    }
    if (libs.cmocka) {
        mod.linkLibrary(deps.cmocka);
        mod.addIncludePath(depPath(b, "cmocka/include"));
    }
    const exe = b.addExecutable(.{ .name = name, .root_module = mod, .linkage = .static });
    exe.link_gc_sections = true;
    return exe;
}

fn depPath(b: *std.Build, sub: []const u8) std.Build.LazyPath {
    return b.path(b.fmt(".cache/deps/src/{s}", .{sub}));
}

/// libcap-ng: its Debian tarball is a git snapshot without configure, so the
/// config.h that autoconf would write is supplied here (Linux, musl).
fn addLibCapNg(
    b: *std.Build,
    target: std.Build.ResolvedTarget,
    optimize: std.builtin.OptimizeMode,
    fetch: *std.Build.Step,
) *std.Build.Step.Compile {
    const config = b.addConfigHeader(.{ .style = .blank, .include_path = "config.h" }, .{
        .HAVE_SYS_XATTR_H = 1,
        .HAVE_LINUX_SECUREBITS_H = 1,
        .HAVE_LINUX_MAGIC_H = 1,
        .HAVE_SYS_VFS_H = 1,
        .HAVE_SYSCALL_H = 1,
        .HAVE_PTHREAD_H = 1,
        .HAVE_DECL_PR_CAP_AMBIENT = 1,
        .HAVE_DECL_VFS_CAP_REVISION_2 = 1,
        .HAVE_DECL_VFS_CAP_REVISION_3 = 1,
        .HAVE_DECL_CAP_EPOLLWAKEUP = 1,
        .HAVE_DECL_CAP_WAKE_ALARM = 1,
        .HAVE_DECL_CAP_BLOCK_SUSPEND = 1,
        .HAVE_DECL_CAP_AUDIT_READ = 1,
        .HAVE_DECL_CAP_PERFMON = 1,
        .HAVE_DECL_CAP_BPF = 1,
        .HAVE_DECL_CAP_CHECKPOINT_RESTORE = 1,
    });
    const mod = b.createModule(.{ .target = target, .optimize = optimize, .link_libc = true, .single_threaded = true });
    mod.addConfigHeader(config);
    mod.addIncludePath(depPath(b, "libcap-ng/src"));
    mod.addCSourceFiles(.{
        .root = depPath(b, "libcap-ng/src"),
        .files = &.{ "cap-ng.c", "lookup_table.c" },
        .flags = dep_flags,
    });
    const lib = b.addLibrary(.{ .name = "cap-ng", .root_module = mod });
    lib.step.dependOn(fetch);
    return lib;
}

/// cmocka: built from its single source file with the config CMake would write.
fn addCmocka(
    b: *std.Build,
    target: std.Build.ResolvedTarget,
    optimize: std.builtin.OptimizeMode,
    fetch: *std.Build.Step,
) *std.Build.Step.Compile {
    const config = b.addConfigHeader(.{ .style = .blank, .include_path = "config.h" }, .{
        .HAVE_INTTYPES_H = 1,
        .HAVE_MALLOC_H = 1,
        .HAVE_SIGNAL_H = 1,
        .HAVE_STRINGS_H = 1,
        .HAVE_SETJMP_H = 1,
        .HAVE_STRUCT_TIMESPEC = 1,
        .HAVE_UINTPTR_T = 1,
        .HAVE_SIGLONGJMP = 1,
        .HAVE_STRSIGNAL = 1,
        .HAVE_CLOCK_GETTIME = 1,
        .HAVE_CLOCK_REALTIME = 1,
        .HAVE_GCC_THREAD_LOCAL_STORAGE = 1,
    });
    const version_h = b.addConfigHeader(.{
        .style = .{ .cmake = depPath(b, "cmocka/include/cmocka_version.h.cmake") },
        .include_path = "cmocka_version.h",
    }, .{ .cmocka_VERSION_MAJOR = 2, .cmocka_VERSION_MINOR = 0, .cmocka_VERSION_PATCH = 2 });
    version_h.step.dependOn(fetch);

    const mod = b.createModule(.{ .target = target, .optimize = optimize, .link_libc = true });
    mod.addConfigHeader(config);
    mod.addConfigHeader(version_h);
    mod.addIncludePath(depPath(b, "cmocka/include"));
    mod.addCSourceFiles(.{
        .root = depPath(b, "cmocka/src"),
        .files = &.{"cmocka.c"},
        .flags = dep_flags ++ &[_][]const u8{"-DHAVE_CONFIG_H=1"},
    });
    const lib = b.addLibrary(.{ .name = "cmocka", .root_module = mod });
    lib.installConfigHeader(version_h);
    lib.step.dependOn(fetch);
    return lib;
}

/// A named step that runs one of our scripts with the install prefix, after
/// everything is built and installed.
fn addScriptStep(b: *std.Build, name: []const u8, description: []const u8, script: []const u8) void {
    const run = b.addSystemCommand(&.{script});
    run.setCwd(b.path("."));
    run.addArg(b.install_prefix);
    run.has_side_effects = true;
    run.stdio = .inherit;
    run.step.dependOn(b.getInstallStep());
    b.step(name, description).dependOn(&run.step);
}
