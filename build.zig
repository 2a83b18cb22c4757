//! The map of the house: deps -> component libraries -> binaries per target
//! -> tests -> images.
//!
//!   zig build            stripped static ReleaseSmall binaries for linux-amd64 and
//!                        linux-arm64 under zig-out/<os-arch>/, the host's under zig-out/bin/
//!   zig build test       every suite (selftest, unit natively and under qemu-aarch64,
//!                        integration, mutants, e2e) and the summary
//!   zig build demo       a sample service under lucid-init as PID 1, dropped and stopped
//!   zig build image      the lucid-init stage image for amd64 and arm64 (podman)
//!   zig build bench      lucid against every tool users pick instead (-Dquick=true: a 1-minute pass)
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
    "-std=c11",            "-D_GNU_SOURCE",   "-Wall",                                 "-Wextra",
    "-Werror",             "-Wshadow",        "-Wstrict-prototypes",                   "-Wvla",
    "-ffunction-sections", "-fdata-sections", "-DLUCID_VERSION=\"" ++ version ++ "\"",
    // No unwind tables: nothing here unwinds (no C++, no backtraces); ~4 KB a binary.
    "-fno-asynchronous-unwind-tables",
    "-fno-unwind-tables",
    // Code that includes mbedTLS headers must see the configuration it was built with.
    "-DMBEDTLS_CONFIG_FILE=\"healthcheck/mbedtls_config.h\"",
};

/// Third-party C is compiled as its authors wrote it; only sectioning is added.
const dep_flags: []const []const u8 = &.{
    "-std=gnu11",                      "-D_GNU_SOURCE",      "-ffunction-sections", "-fdata-sections", "-w",
    "-fno-asynchronous-unwind-tables", "-fno-unwind-tables",
};

/// What a C program or component links against, besides libc.
const Libs = struct {
    capng: bool = false,
    cmocka: bool = false,
    seccomp: bool = false,
    cjson: bool = false,
    mbedtls: bool = false,
};

/// Our code as one static library per component. Binaries, unit tests and
/// test tools name the components they use; the linker takes only the
/// objects they reach, so no list of transitive source files is kept
/// anywhere. The programs' main.c (and lucid-init's sys seam and small libc)
/// stay out of the libraries: tests bring their own fakes.
const Component = enum { common, init, health, health_http, seccomp };
const ComponentSpec = struct { name: []const u8, sources: []const []const u8, libs: Libs = .{}, flags: []const []const u8 = &.{} };

/// lucid-health's sources that plain HTTP and tcp:// need; lucid-health-http
/// is built from these alone, without TLS and gRPC.
const health_http_sources = [_][]const u8{
    "healthcheck/options.c", "healthcheck/help.c",    "healthcheck/url.c",
    "healthcheck/status.c",  "healthcheck/http.c",    "healthcheck/chunked.c",
    "healthcheck/match.c",   "healthcheck/resolve.c", "healthcheck/conn.c",
    "healthcheck/errors.c",  "healthcheck/probe.c",   "healthcheck/link.c",
};
const components = std.EnumArray(Component, ComponentSpec).init(.{
    .common = .{ .name = "lucid-common", .sources = &.{
        "common/io.c",     "common/fmt.c",     "common/log.c", "common/parse.c",
        "common/cli.c",    "common/list.c",
        "common/clock.c",  "common/bpfblob.c", "common/bpfsim.c", "common/procfs.c", "common/forwarding.c",
    } },
    .init = .{ .name = "lucid-init-core", .libs = .{ .capng = true }, .sources = &.{
        "init/options.c", "init/signals.c", "init/reap.c",   "init/supervise.c",
        "init/signames.c", "init/spawn.c",  "init/privdrop.c", "init/passwd.c",
        "init/audit.c",   "init/filter.c", "init/confine.c", "init/fds.c", "init/fdscan.c",
    } },
    .health = .{ .name = "lucid-health-core", .libs = .{ .mbedtls = true }, .sources = &(health_http_sources ++ [_][]const u8{
        "healthcheck/tls.c", "healthcheck/hpack.c", "healthcheck/h2.c", "healthcheck/pb.c", "healthcheck/grpc.c",
    }) },
    .health_http = .{ .name = "lucid-health-http-core", .sources = &health_http_sources, .flags = &.{"-DLUCID_HEALTH_HTTP_ONLY"} },
    .seccomp = .{ .name = "lucid-seccomp-core", .libs = .{ .seccomp = true, .cjson = true }, .sources = &.{
        "seccomp/cli.c",     "seccomp/commands.c", "seccomp/report.c", "seccomp/arch.c",
        "seccomp/json.c",    "seccomp/profile.c",  "seccomp/rule.c",   "seccomp/compile.c",
        "seccomp/output.c",  "seccomp/check.c",    "seccomp/flatten.c", "seccomp/learn.c",
    } },
});

/// A shipped program: what it adds to its components (its main.c, ...).
const Program = struct { name: []const u8, sources: []const []const u8, uses: []const Component, libs: Libs };
const programs = [_]Program{
    .{ .name = "lucid-init", .sources = &.{ "init/main.c", "init/sys.c", "init/libc_small.c" }, .uses = &.{ .common, .init }, .libs = .{ .capng = true } },
    .{ .name = "lucid-health", .sources = &.{"healthcheck/main.c"}, .uses = &.{ .common, .health }, .libs = .{ .mbedtls = true } },
    .{ .name = "lucid-seccomp", .sources = &.{ "seccomp/main.c", "seccomp/learner.c" }, .uses = &.{ .common, .seccomp }, .libs = .{ .seccomp = true, .cjson = true } },
    .{ .name = "lucid-health-http", .sources = &.{"healthcheck/main.c"}, .uses = &.{ .common, .health_http }, .libs = .{} },
};

/// The seccomp profiles in seccomp/ that are compiled for both arches and
/// installed as zig-out/seccomp/<profile>-<arch>.bpf, and built into lucid-init.
const seccomp_profiles = [_][]const u8{ "default", "python", "node", "static" };
const seccomp_arches = [_][]const u8{ "x86_64", "aarch64" };

/// A cmocka suite: tests/unit/NAME.c, plus fakes, over the components it tests.
const UnitTest = struct { name: []const u8, uses: []const Component = &.{.common}, extra: []const []const u8 = &.{}, libs: Libs = .{} };
const unit_tests = [_]UnitTest{
    .{ .name = "test_common" },
    .{ .name = "test_options", .uses = &.{ .common, .init }, .libs = .{ .capng = true } },
    .{ .name = "test_passwd", .uses = &.{ .common, .init }, .libs = .{ .capng = true } },
    .{ .name = "test_procfs", .uses = &.{ .common, .init }, .libs = .{ .capng = true } },
    .{ .name = "test_libc_small", .uses = &.{} },
    .{ .name = "test_reap", .uses = &.{ .common, .init }, .extra = &.{ "tests/unit/fake_sys.c", "tests/unit/fake_filters.c" }, .libs = .{ .capng = true } },
    .{ .name = "test_spawn", .uses = &.{ .common, .init }, .extra = &.{ "tests/unit/fake_sys.c", "tests/unit/fake_filters.c" }, .libs = .{ .capng = true } },
    .{ .name = "test_privdrop", .uses = &.{ .common, .init }, .extra = &.{ "tests/unit/fake_sys.c", "tests/unit/fake_filters.c" }, .libs = .{ .capng = true } },
    .{ .name = "test_filter", .uses = &.{ .common, .init }, .extra = &.{ "tests/unit/fake_sys.c", "tests/unit/fake_filters.c" }, .libs = .{ .capng = true } },
    .{ .name = "test_fds", .uses = &.{ .common, .init }, .extra = &.{ "tests/unit/fake_sys.c", "tests/unit/fake_filters.c" }, .libs = .{ .capng = true } },
    .{ .name = "test_url", .uses = &.{ .common, .health } },
    .{ .name = "test_status", .uses = &.{ .common, .health } },
    .{ .name = "test_http", .uses = &.{ .common, .health } },
    .{ .name = "test_match", .uses = &.{ .common, .health } },
    .{ .name = "test_health_options", .uses = &.{ .common, .health } },
    .{ .name = "test_hpack", .uses = &.{ .common, .health } },
    .{ .name = "test_grpc", .uses = &.{ .common, .health } },
    .{ .name = "test_seccomp_profile", .uses = &.{ .common, .seccomp }, .libs = .{ .seccomp = true, .cjson = true } },
    .{ .name = "test_seccomp_compile", .uses = &.{ .common, .seccomp }, .libs = .{ .seccomp = true, .cjson = true } },
    .{ .name = "test_seccomp_learn", .uses = &.{ .common, .seccomp }, .libs = .{ .seccomp = true, .cjson = true } },
};

/// Small programs the integration tests run as services and servers:
/// tests/tools/NAME.c over the components it reuses.
const TestTool = struct { name: []const u8, uses: []const Component = &.{.common}, libs: Libs = .{} };
const test_tools = [_]TestTool{
    .{ .name = "sigrecord" },
    .{ .name = "runstat" },
    .{ .name = "sigstamp" },
    .{ .name = "sigcount" },
    .{ .name = "sigstorm" },
    .{ .name = "orphans", .uses = &.{ .common, .init }, .libs = .{ .capng = true } },
    .{ .name = "credcheck" },
    .{ .name = "bindport" },
    .{ .name = "hostile-server" },
    .{ .name = "sysprobe" },
    .{ .name = "syscost" },
    .{ .name = "bpfpath" },
};

/// A libFuzzer harness: tests/fuzz/NAME.c (LLVMFuzzerTestOneInput) over the
/// components whose parser it feeds, with its corpus in tests/fuzz/corpus/NAME
/// (and a dictionary tests/fuzz/NAME.dict for the text formats). Debian's
/// clang 14 builds it with libFuzzer, ASan and UBSan (tests/clang/build.py);
/// Zig builds it for both targets with tests/fuzz/replay.c as main, to replay
/// the corpora natively and under qemu-aarch64.
const Fuzzer = struct {
    name: []const u8,
    uses: []const Component,
    libs: Libs = .{},
    /// tests/fuzz/DICT.dict, for the text formats.
    dict: ?[]const u8 = null,
    /// More seeds, under the install prefix (the shipped profiles and filters).
    seeds: ?[]const u8 = null,
    /// The parser's own sources, whose coverage zig build fuzz reports.
    covers: []const []const u8,
};
const fuzzers = [_]Fuzzer{
    .{ .name = "url", .uses = &.{ .common, .health }, .dict = "url", .covers = &.{ "healthcheck/url.c" } },
    .{ .name = "http_head", .uses = &.{ .common, .health }, .dict = "http", .covers = &.{ "healthcheck/http.c" } },
    .{ .name = "chunked", .uses = &.{ .common, .health }, .dict = "http", .covers = &.{ "healthcheck/chunked.c", "healthcheck/match.c" } },
    .{ .name = "hpack", .uses = &.{ .common, .health }, .covers = &.{"healthcheck/hpack.c"} },
    .{ .name = "grpc_frames", .uses = &.{ .common, .health }, .covers = &.{ "healthcheck/h2.c", "healthcheck/hpack.c", "healthcheck/pb.c" } },
    .{ .name = "status", .uses = &.{ .common, .health }, .dict = "status", .covers = &.{ "healthcheck/status.c" } },
    .{ .name = "health_options", .uses = &.{ .common, .health }, .dict = "options", .covers = &.{ "healthcheck/options.c", "common/cli.c" } },
    .{ .name = "init_options", .uses = &.{ .common, .init }, .libs = .{ .capng = true }, .dict = "options", .covers = &.{ "init/options.c", "common/cli.c" } },
    .{ .name = "seccomp_options", .uses = &.{ .common, .seccomp }, .libs = .{ .seccomp = true, .cjson = true }, .dict = "options", .covers = &.{ "seccomp/cli.c" } },
    .{ .name = "proc_status", .uses = &.{.common}, .dict = "proc_status", .covers = &.{ "common/procfs.c" } },
    .{ .name = "passwd", .uses = &.{ .common, .init }, .libs = .{ .capng = true }, .dict = "passwd", .covers = &.{ "init/passwd.c" } },
    .{ .name = "profile", .uses = &.{ .common, .seccomp }, .libs = .{ .seccomp = true, .cjson = true }, .dict = "profile", .seeds = "seccomp", .covers = &.{ "seccomp/profile.c", "seccomp/rule.c", "seccomp/json.c" } },
    .{ .name = "learn_merge", .uses = &.{ .common, .seccomp }, .libs = .{ .seccomp = true, .cjson = true }, .dict = "profile", .covers = &.{"seccomp/learn.c"} },
    .{ .name = "bpfblob", .uses = &.{.common}, .seeds = "seccomp", .covers = &.{ "common/bpfblob.c", "common/bpfsim.c" } },
};

/// A deliberately wrong build: `file` (a source of a component `program`
/// uses, or a profile lucid-init embeds) with each text `from` replaced by
/// its `to` (tests/mutants/mutate.py fails the build when a `from` is not
/// there). tests/mutants/mutants.sh runs `suite` against it and requires
/// failures.
const Edit = struct { []const u8, []const u8 };
const Mutant = struct { name: []const u8, program: []const u8, file: []const u8, edits: []const Edit, suite: []const u8, bug: []const u8 };
const mutants = [_]Mutant{
    .{ .name = "exit-status", .program = "lucid-init", .file = "init/reap.c", .edits = &.{.{ "code = WEXITSTATUS(wait_status);", "code = WEXITSTATUS(wait_status) ^ 1;" }}, .suite = "init", .bug = "reports-the-wrong-exit-status" },
    .{ .name = "no-usr1", .program = "lucid-init", .file = "init/supervise.c", .edits = &.{.{ "\tpid_t target = ", "\tif (received == SIGUSR1)\n\t\treturn;\n\tpid_t target = " }}, .suite = "init", .bug = "never-forwards-SIGUSR1" },
    .{ .name = "grace-short", .program = "lucid-init", .file = "init/supervise.c", .edits = &.{.{ "kill_at = clock_now_ms() + plan->grace_ms;", "kill_at = clock_now_ms() + plan->grace_ms / 20;" }}, .suite = "init", .bug = "grace-fires-20x-early" },
    .{ .name = "drain-long", .program = "lucid-init", .file = "init/reap.c", .edits = &.{.{ "reap_until(c, waitset, clock_now_ms() + drain_ms);", "reap_until(c, waitset, clock_now_ms() + drain_ms * 8);" }}, .suite = "init", .bug = "drain-lasts-8x-too-long" },
    .{ .name = "no-orphans", .program = "lucid-init", .file = "init/reap.c", .edits = &.{.{ "sys_waitpid(-1, &status, WNOHANG | WUNTRACED)", "sys_waitpid(c->main_pid, &status, WNOHANG | WUNTRACED)" }}, .suite = "init", .bug = "reaps-only-the-main-child" },
    .{ .name = "no-drop", .program = "lucid-init", .file = "init/main.c", .edits = &.{.{ "if (drop && drop_privileges(", "if (0 && drop_privileges(" }}, .suite = "init", .bug = "runs-the-service-as-root" },
    .{ .name = "forwards-own-sigpipe", .program = "lucid-init", .file = "common/forwarding.c", .edits = &.{.{ "if (code == SI_USER && sender == self)", "if (code == SI_USER && sender == self && 0)" }}, .suite = "init", .bug = "forwards-the-SIGPIPE-it-raised-itself" },
    .{ .name = "audit-4096", .program = "lucid-init", .file = "common/procfs.c", .edits = &.{.{ "\t\tif (len == cap) {", "\t\tif (len == 4096)\n\t\t\tbreak;\n\t\tif (len == cap) {" }}, .suite = "init", .bug = "lists-at-most-4096-processes" },
    .{ .name = "drain-1024", .program = "lucid-init", .file = "init/reap.c", .edits = &.{ .{ "for (size_t i = 0; i < n; i++)\n\t\tsignal_descendant(", "for (size_t i = 0; i < n && i < 1024; i++)\n\t\tsignal_descendant(" }, .{ "\t\treap_until(c, waitset, round < end ? round : end);\n", "\t\treap_until(c, waitset, round < end ? round : end);\n\t\tbreak;\n" } }, .suite = "init", .bug = "signals-at-most-1024-leftovers-once" },
    .{ .name = "drops-fault-signals", .program = "lucid-init", .file = "common/forwarding.c", .edits = &.{.{ "return !(code > 0 && is_fault_number(sig));", "return !is_fault_number(sig);" }}, .suite = "peers", .bug = "never-forwards-SIGSEGV-sent-by-kill" },
    .{ .name = "keeps-leaked-fds", .program = "lucid-init", .file = "init/fds.c", .edits = &.{.{ "\tif (sys_close_range(first, ~0u) == 0)\n\t\treturn 0;", "\tif (first)\n\t\treturn 0;" }}, .suite = "peers", .bug = "passes-inherited-fds-to-the-service" },
    .{ .name = "never-stops", .program = "lucid-init", .file = "init/supervise.c", .edits = &.{.{ "\tif (plan->pid1) {", "\tif (1) {" }}, .suite = "peers", .bug = "does-not-stop-with-its-stopped-service" },
    .{ .name = "drain-off-kills", .program = "lucid-init", .file = "init/reap.c", .edits = &.{.{ "\tif (plan->off) {", "\tif (0) {" }}, .suite = "peers", .bug = "drain-off-still-kills-leftovers" },
    .{ .name = "pins-cwd", .program = "lucid-init", .file = "init/main.c", .edits = &.{.{ "if (chdir(\"/\") < 0)", "if (0)" }}, .suite = "peers", .bug = "PID-1-keeps-the-start-directory" },
    .{ .name = "self-unfiltered", .program = "lucid-init", .file = "init/confine.c", .edits = &.{.{ "else if (plan->filter && filter_install_self() < 0)", "else if (0)" }}, .suite = "filters", .bug = "PID-1-never-filters-itself" },
    .{ .name = "allows-mount", .program = "lucid-init", .file = "seccomp/default.json", .edits = &.{.{ "\"accept\",", "\"accept\", \"mount\"," }}, .suite = "filters", .bug = "the-default-filter-allows-mount" },
    .{ .name = "fds-unchecked", .program = "lucid-health", .file = "healthcheck/main.c", .edits = &.{.{ "if (keep_std_fds_open() < 0)\n\t\treturn EXIT_UNHEALTHY;", "(void)keep_std_fds_open();" }}, .suite = "health", .bug = "probes-with-its-socket-on-fd-1" },
    .{ .name = "ignores-status", .program = "lucid-health", .file = "healthcheck/status.c", .edits = &.{.{ "if (code >= set->r[i].lo && code <= set->r[i].hi)", "if (code || set->r[i].lo)" }}, .suite = "health", .bug = "every-status-is-healthy" },
    .{ .name = "decides-at-headers", .program = "lucid-health", .file = "healthcheck/probe.c", .edits = &.{.{ "} else if (rc == 0) {\n\t\t\trc = read_body(p, &l, &cur);", "} else if (rc == 0 && o->body_contains) {\n\t\t\trc = read_body(p, &l, &cur);" }}, .suite = "kubelet", .bug = "never-reads-the-body-it-judges" },
    .{ .name = "follows-any-host", .program = "lucid-health", .file = "healthcheck/probe.c", .edits = &.{.{ "else if (!url_same_host(u, next)) {", "else if (0) {" }}, .suite = "kubelet", .bug = "follows-redirects-to-other-hosts" },
    .{ .name = "verifies-nothing", .program = "lucid-health", .file = "healthcheck/tls.c", .edits = &.{.{ "mbedtls_ssl_conf_authmode(c, MBEDTLS_SSL_VERIFY_REQUIRED);", "mbedtls_ssl_conf_authmode(c, MBEDTLS_SSL_VERIFY_NONE);" }}, .suite = "tls", .bug = "accepts-any-certificate-with-cacert" },
    .{ .name = "any-grpc-status", .program = "lucid-health", .file = "healthcheck/grpc.c", .edits = &.{.{ "return res->serving == PB_SERVING ? 0 : -1;", "return 0;" }}, .suite = "tls", .bug = "NOT_SERVING-is-healthy" },
    .{ .name = "merge-forgets", .program = "lucid-seccomp", .file = "seccomp/learner.c", .edits = &.{.{ "learn_add(&out, &L->merged, false);", "(void)0;" }}, .suite = "learn", .bug = "merge-drops-the-earlier-runs" },
    .{ .name = "any-socket", .program = "lucid-seccomp", .file = "seccomp/learn.c", .edits = &.{.{ "{ \"socket\", 0 },", "{ \"socket-\", 0 }," }}, .suite = "learn", .bug = "learned-socket-allows-every-family" },
    .{ .name = "init-as-service", .program = "lucid-seccomp", .file = "seccomp/learner.c", .edits = &.{.{ "phase = LEARN_INIT;", "phase = LEARN_SERVICE;" }}, .suite = "learn", .bug = "the-privilege-drop-is-allowed-to-the-service" },
    .{ .name = "keeps-init-rules", .program = "lucid-seccomp", .file = "seccomp/rule.c", .edits = &.{.{ "} else if (cJSON_IsTrue(init_only) && !ctx->runtime) {", "} else if (0) {" }}, .suite = "seccomp", .bug = "the-service-filter-keeps-lucidInitOnly-rules" },
};

/// One target's build: where things go and what they are built from.
const Ctx = struct {
    b: *std.Build,
    target: std.Build.ResolvedTarget,
    optimize: std.builtin.OptimizeMode,
    fetch: *std.Build.Step,
};

/// A third-party library for the target, and how it is built (the clang
/// builds for sanitizers and fuzzing read the same spec).
const Dep = struct { lib: *std.Build.Step.Compile, spec: DepLibrary };
const Deps = struct {
    capng: Dep,
    cmocka: Dep,
    seccomp: Dep,
    cjson: Dep,
    mbedtls: Dep,
};

/// A target's dependency and component libraries. A library nothing links
/// is never built.
const Built = struct {
    t: Ctx,
    deps: Deps,
    libs: std.EnumArray(Component, *std.Build.Step.Compile),
    host_seccomp: *std.Build.Step.Compile,
};

pub fn build(b: *std.Build) void {
    const optimize = b.option(std.builtin.OptimizeMode, "optimize", "Optimisation of every binary (default ReleaseSmall)") orelse .ReleaseSmall;

    // deps: download, verify and unpack the pinned Debian source packages.
    const fetch = b.addSystemCommand(&.{"deps/fetch"});
    fetch.setCwd(b.path("."));
    fetch.has_side_effects = true;
    fetch.stdio = .inherit;

    // lucid-seccomp for the machine running the build: it compiles the
    // shipped profiles into the .bpf files and the filters embedded in lucid-init.
    const host = prepare(.{ .b = b, .target = b.resolveTargetQuery(.{ .abi = .musl }), .optimize = optimize, .fetch = &fetch.step }, null);
    const host_seccomp = addShipped(host, programs[2], null);
    for (seccomp_profiles) |profile| {
        const json = b.fmt("seccomp/{s}.json", .{profile});
        b.installFile(json, json);
        for (seccomp_arches) |arch| {
            const bpf = addFilterCompile(b, host_seccomp, b.path(json), arch, null);
            b.getInstallStep().dependOn(&b.addInstallFile(bpf, b.fmt("seccomp/{s}-{s}.bpf", .{ profile, arch })).step);
        }
    }
    installLicences(b, &fetch.step);

    const host_arch = b.graph.host.result.cpu.arch;
    var host_built = false;
    for (platforms) |p| {
        const is_host = p.query.cpu_arch.? == host_arch;
        addPlatform(prepare(.{ .b = b, .target = b.resolveTargetQuery(p.query), .optimize = optimize, .fetch = &fetch.step }, host_seccomp), p.dir, is_host);
        host_built = host_built or is_host;
    }
    if (!host_built) {
        // A host that is neither amd64 nor arm64 still gets its own tools in bin/.
        addPlatform(prepare(.{ .b = b, .target = host.t.target, .optimize = optimize, .fetch = &fetch.step }, host_seccomp), "native", true);
    }

    // The clang builds (ASan/UBSan, libFuzzer) for this machine, from the
    // same tables; Debian's clang 14 is installed first if missing.
    const hardening = b.addSystemCommand(&.{ "deps/host-setup", "hardening" });
    hardening.setCwd(b.path("."));
    hardening.has_side_effects = true;
    const clang_sanitize = addClangBuild(host, host_seccomp, "sanitize", &hardening.step);
    const clang_fuzz = addClangBuild(host, host_seccomp, "fuzz", &hardening.step);

    const sanitize = b.option(bool, "sanitize", "zig build test: only the unit and integration suites, against the ASan + UBSan build") orelse false;
    const fuzz_seconds = b.option(u32, "fuzz-seconds", "zig build fuzz: seconds each harness runs (default 60)") orelse 60;

    const test_run = addScriptStep(b, "test", "Run every test suite (selftest, unit, integration, mutants, e2e, fuzz replay and smoke, sanitized) and print the summary", "tests/run");
    if (sanitize) test_run.addArg("sanitize");
    test_run.step.dependOn(clang_sanitize);
    if (!sanitize) test_run.step.dependOn(clang_fuzz);

    const fuzz_run = addScriptStep(b, "fuzz", "Run each fuzz harness for -Dfuzz-seconds=N (default 60), then report executions and coverage", "tests/fuzz/run");
    fuzz_run.addArgs(&.{ "long", b.fmt("{d}", .{fuzz_seconds}) });
    fuzz_run.step.dependOn(clang_fuzz);
    fuzz_run.step.dependOn(addClangBuild(host, host_seccomp, "coverage", &hardening.step));
    _ = addScriptStep(b, "demo", "Start a sample service under lucid-init as PID 1, dropped to 65532, stop it with SIGTERM", "tests/demo");
    const bench_quick = b.option(bool, "quick", "zig build bench: a one-minute pass, results in .cache/bench-quick") orelse false;
    const bench_run = addScriptStep(b, "bench", "Benchmark lucid against the tools users pick instead; bench/results/latest.md and charts", "bench/run");
    if (bench_quick) bench_run.addArg("--quick");
    _ = addScriptStep(b, "image", "Build the lucid-init stage image localhost/lucid-init:" ++ version ++ " for amd64 and arm64 with podman", "images/lucid-init/build");
}

/// The licences travel with the binaries (the stage image copies doc/): ours,
/// the notice, and the licence texts of the code linked in.
fn installLicences(b: *std.Build, fetch: *std.Build.Step) void {
    b.installFile("LICENSE", "doc/LICENSE");
    b.installFile("THIRD_PARTY_NOTICES.md", "doc/THIRD_PARTY_NOTICES.md");
    const licences = [_][2][]const u8{
        .{ "libcap-ng/COPYING.LIB", "libcap-ng.COPYING.LIB" },
        .{ "libseccomp/LICENSE", "libseccomp.LICENSE" },
        .{ "cjson/LICENSE", "cjson.LICENSE" },
        .{ "mbedtls/LICENSE", "mbedtls.LICENSE" },
    };
    for (licences) |l| {
        const inst = b.addInstallFile(depPath(b, l[0]), b.fmt("doc/licenses/{s}", .{l[1]}));
        inst.step.dependOn(fetch);
        b.getInstallStep().dependOn(&inst.step);
    }
    const musl_copyright = b.graph.zig_lib_directory.join(b.allocator, &.{ "libc", "musl", "COPYRIGHT" }) catch @panic("OOM");
    b.installFile(musl_copyright, "doc/licenses/musl.COPYRIGHT");
}

/// A target's dependency and component libraries (host_seccomp: the host's
/// lucid-seccomp, to compile filters with; null while building it).
fn prepare(t: Ctx, host_seccomp: ?*std.Build.Step.Compile) Built {
    const deps: Deps = .{
        .capng = addLibCapNg(t),
        .cmocka = addCmocka(t),
        .seccomp = addLibSeccomp(t),
        .cjson = addCjson(t),
        .mbedtls = addMbedtls(t),
    };
    var built: Built = .{ .t = t, .deps = deps, .libs = undefined, .host_seccomp = undefined };
    for (std.enums.values(Component)) |c| built.libs.set(c, addComponent(t, deps, components.get(c), null));
    built.host_seccomp = host_seccomp orelse undefined;
    return built;
}

/// Everything for one target: the shipped binaries under zig-out/<dir>/, and
/// the unit tests, test tools and (on the host) mutants under zig-out/tests/<dir>/.
fn addPlatform(p: Built, dir: []const u8, is_host: bool) void {
    const b = p.t.b;
    for (programs) |prog| {
        const exe = addShipped(p, prog, null);
        install(b, exe, dir);
        if (is_host) b.getInstallStep().dependOn(&b.addInstallArtifact(exe, .{}).step);
    }

    const test_dir = b.fmt("tests/{s}", .{dir});
    for (unit_tests) |ut| {
        var libs = ut.libs;
        libs.cmocka = true;
        const exe = addExe(p, ut.name, &.{ &.{b.fmt("tests/unit/{s}.c", .{ut.name})}, ut.extra }, ut.uses, libs, false);
        exe.root_module.addIncludePath(b.path("tests/unit"));
        install(b, exe, test_dir);
    }
    {
        // The shipped default profile, compiled by the host lucid-seccomp for
        // both arches exactly as lucid-init embeds it, run through the BPF simulator.
        const exe = addExe(p, "test_seccomp_default", &.{&.{"tests/unit/test_seccomp_default.c"}}, &.{.common}, .{ .cmocka = true, .seccomp = true }, false);
        exe.root_module.addIncludePath(b.path("tests/unit"));
        for (seccomp_arches) |arch| {
            const c_file = addFilterCompile(b, p.host_seccomp, b.path("seccomp/default.json"), arch, b.fmt("default_filter_{s}", .{arch}));
            exe.root_module.addCSourceFile(.{ .file = c_file, .flags = own_flags });
        }
        install(b, exe, test_dir);
    }
    for (test_tools) |tool| {
        const exe = addExe(p, tool.name, &.{&.{b.fmt("tests/tools/{s}.c", .{tool.name})}}, tool.uses, tool.libs, true);
        install(b, exe, test_dir);
    }
    {
        // Each fuzz harness with the replay driver as main: the corpora
        // replay on both targets (tests/fuzz/replay.sh). The list says
        // NAME DICT SEEDS COVERS... for the fuzz runners ("-" for none).
        const list = b.addWriteFiles();
        var lines: std.ArrayList(u8) = .empty;
        for (fuzzers) |f| {
            const exe = addExe(p, f.name, &.{&.{ b.fmt("tests/fuzz/{s}.c", .{f.name}), "tests/fuzz/replay.c" }}, f.uses, f.libs, true);
            install(b, exe, b.fmt("{s}/fuzz", .{test_dir}));
            lines.appendSlice(b.allocator, b.fmt("{s} {s} {s}", .{ f.name, f.dict orelse "-", f.seeds orelse "-" })) catch @panic("OOM");
            for (f.covers) |c| lines.appendSlice(b.allocator, b.fmt(" {s}", .{c})) catch @panic("OOM");
            lines.append(b.allocator, '\n') catch @panic("OOM");
        }
        b.getInstallStep().dependOn(&b.addInstallFile(list.add("list", lines.items), b.fmt("{s}/fuzz/list", .{test_dir})).step);
    }
    {
        // The static-service template's sample service.
        const exe = addExe(p, "static-service", &.{&.{"images/examples/static-service/server.c"}}, &.{}, .{}, true);
        install(b, exe, b.fmt("examples/{s}", .{dir}));
    }

    // lucid-init with faults injected at its sys seam (tests/integration/faults.sh).
    if (is_host) {
        const faulty: Program = .{ .name = "lucid-init-faults", .sources = &.{ "init/main.c", "tests/tools/sys_faults.c", "init/libc_small.c" }, .uses = programs[0].uses, .libs = programs[0].libs };
        install(b, addShipped(p, faulty, null), test_dir);
    }

    // Mutants: the host's shipped programs with one deliberate bug each, for
    // tests/mutants/mutants.sh, which requires the named suite to fail on each.
    if (is_host) {
        const list = b.addWriteFiles();
        var lines: std.ArrayList(u8) = .empty;
        for (mutants) |m| {
            const prog = for (programs) |pr| {
                if (std.mem.eql(u8, pr.name, m.program)) break pr;
            } else @panic("mutant of an unknown program");
            const exe = addShipped(p, prog, m);
            install(b, exe, b.fmt("tests/{s}/mutants/{s}", .{ dir, m.name }));
            lines.appendSlice(b.allocator, b.fmt("{s} {s} {s} {s}\n", .{ m.name, m.program, m.suite, m.bug })) catch @panic("OOM");
        }
        const file = list.add("list", lines.items);
        b.getInstallStep().dependOn(&b.addInstallFile(file, b.fmt("tests/{s}/mutants/list", .{dir})).step);
    }
}

fn libNames(b: *std.Build, libs: Libs) []const []const u8 {
    var names: std.ArrayList([]const u8) = .empty;
    inline for (.{ "capng", "seccomp", "cjson", "cmocka", "mbedtls" }) |n| {
        if (@field(libs, n)) names.append(b.allocator, n) catch @panic("OOM");
    }
    return names.items;
}

fn componentNames(b: *std.Build, uses: []const Component) []const []const u8 {
    var names: std.ArrayList([]const u8) = .empty;
    for (uses) |c| names.append(b.allocator, @tagName(c)) catch @panic("OOM");
    return names.items;
}

/// The build of this machine's code by Debian's clang 14 in MODE (sanitize:
/// the programs and unit tests with ASan + UBSan; fuzz: the libFuzzer
/// harnesses; coverage: the harnesses with source-based coverage), into
/// .cache/clang/MODE. tests/clang/build.py does the compiling; everything it
/// compiles is named here, in a manifest of the tables above, and the headers
/// and sources the build generates are passed to it as paths.
fn addClangBuild(host: Built, host_seccomp: *std.Build.Step.Compile, mode: []const u8, setup: *std.Build.Step) *std.Build.Step {
    const b = host.t.b;
    const DepJ = struct { dir: []const u8, files: []const []const u8, includes: []const []const u8, own_includes: []const []const u8, public: []const []const u8, flags: []const []const u8 };
    const ExeJ = struct { name: []const u8, sources: []const []const u8, uses: []const []const u8, libs: []const []const u8, includes: []const []const u8 = &.{} };

    var programs_j: std.ArrayList(ExeJ) = .empty;
    // lucid-init without its small libc (a size device for musl's static
    // link; glibc's own functions are the sanitizers' intercepted ones), and
    // with the one sanitizer option its own filter needs (tests/clang/init-asan.c).
    programs_j.append(b.allocator, .{ .name = "lucid-init", .sources = &.{ "init/main.c", "init/sys.c", "tests/clang/init-asan.c" }, .uses = componentNames(b, programs[0].uses), .libs = libNames(b, programs[0].libs) }) catch @panic("OOM");
    programs_j.append(b.allocator, .{ .name = "lucid-init-faults", .sources = &.{ "init/main.c", "tests/tools/sys_faults.c", "tests/clang/init-asan.c" }, .uses = componentNames(b, programs[0].uses), .libs = libNames(b, programs[0].libs) }) catch @panic("OOM");
    for (programs[1..]) |prog| programs_j.append(b.allocator, .{ .name = prog.name, .sources = prog.sources, .uses = componentNames(b, prog.uses), .libs = libNames(b, prog.libs) }) catch @panic("OOM");

    var tests_j: std.ArrayList(ExeJ) = .empty;
    for (unit_tests) |ut| {
        var libs = ut.libs;
        libs.cmocka = true;
        var sources: std.ArrayList([]const u8) = .empty;
        sources.append(b.allocator, b.fmt("tests/unit/{s}.c", .{ut.name})) catch @panic("OOM");
        sources.appendSlice(b.allocator, ut.extra) catch @panic("OOM");
        tests_j.append(b.allocator, .{ .name = ut.name, .sources = sources.items, .uses = componentNames(b, ut.uses), .libs = libNames(b, libs), .includes = &.{"tests/unit"} }) catch @panic("OOM");
    }
    tests_j.append(b.allocator, .{ .name = "test_seccomp_default", .sources = &.{"tests/unit/test_seccomp_default.c"}, .uses = &.{"common"}, .libs = &.{ "seccomp", "cmocka" }, .includes = &.{"tests/unit"} }) catch @panic("OOM");

    var fuzz_j: std.ArrayList(ExeJ) = .empty;
    for (fuzzers) |f| {
        // The slice must outlive this loop: a literal here would not.
        const sources = b.allocator.dupe([]const u8, &.{b.fmt("tests/fuzz/{s}.c", .{f.name})}) catch @panic("OOM");
        fuzz_j.append(b.allocator, .{ .name = f.name, .sources = sources, .uses = componentNames(b, f.uses), .libs = libNames(b, f.libs) }) catch @panic("OOM");
    }
    // The planted bug the fuzz suites must catch (their checks can fail).
    fuzz_j.append(b.allocator, .{ .name = "canary", .sources = &.{"tests/fuzz/canary.c"}, .uses = &.{"common"}, .libs = &.{} }) catch @panic("OOM");

    const dep_j = struct {
        fn of(d: DepLibrary) DepJ {
            return .{ .dir = d.dir, .files = d.files, .includes = d.includes, .own_includes = d.own_includes, .public = d.public, .flags = d.flags };
        }
    };
    const manifest = .{
        .own_flags = own_flags,
        .dep_src = ".cache/deps/src",
        .deps = .{
            .capng = dep_j.of(host.deps.capng.spec),
            .seccomp = dep_j.of(host.deps.seccomp.spec),
            .cjson = dep_j.of(host.deps.cjson.spec),
            .cmocka = dep_j.of(host.deps.cmocka.spec),
            .mbedtls = dep_j.of(host.deps.mbedtls.spec),
        },
        .components = .{
            .common = compJ(b, .common),
            .init = compJ(b, .init),
            .health = compJ(b, .health),
            .health_http = compJ(b, .health_http),
            .seccomp = compJ(b, .seccomp),
        },
        .programs = programs_j.items,
        .unit_tests = tests_j.items,
        .fuzzers = fuzz_j.items,
    };
    const text = std.json.Stringify.valueAlloc(b.allocator, manifest, .{ .whitespace = .indent_1 }) catch @panic("OOM");
    const file = b.addWriteFiles().add("clang-manifest.json", text);

    const run = b.addSystemCommand(&.{ "python3", "tests/clang/build.py" });
    run.setCwd(b.path("."));
    run.addFileArg(file);
    run.addArgs(&.{ b.fmt(".cache/clang/{s}", .{mode}), mode });
    run.has_side_effects = true;
    run.stdio = .inherit;
    run.step.dependOn(setup);
    run.step.dependOn(host.t.fetch);
    inline for (.{ "capng", "seccomp", "cjson", "cmocka", "mbedtls" }) |n| {
        for (@field(host.deps, n).spec.configs) |config| run.addPrefixedDirectoryArg("--config=" ++ n ++ "=", config.getOutputDir());
    }
    for ([_][]const u8{ "lucid-init", "lucid-init-faults" }) |name| {
        const prefix = b.fmt("--gen={s}=", .{name});
        for (seccomp_profiles) |profile| {
            run.addPrefixedFileArg(prefix, addFilterCompile(b, host_seccomp, b.path(b.fmt("seccomp/{s}.json", .{profile})), hostFilterArch(b), b.fmt("lucid_filter_{s}", .{profile})));
        }
        run.addPrefixedFileArg(prefix, addFilterCompile(b, host_seccomp, b.path("seccomp/init-self.json"), hostFilterArch(b), "lucid_self_filter"));
    }
    for (seccomp_arches) |arch| {
        run.addPrefixedFileArg("--gen=test_seccomp_default=", addFilterCompile(b, host_seccomp, b.path("seccomp/default.json"), arch, b.fmt("default_filter_{s}", .{arch})));
    }
    return &run.step;
}

fn compJ(b: *std.Build, c: Component) struct { sources: []const []const u8, libs: []const []const u8, flags: []const []const u8 } {
    const spec = components.get(c);
    return .{ .sources = spec.sources, .libs = libNames(b, spec.libs), .flags = spec.flags };
}

fn hostFilterArch(b: *std.Build) []const u8 {
    return switch (b.graph.host.result.cpu.arch) {
        .aarch64 => "aarch64",
        else => "x86_64",
    };
}

/// The mutated copy of m.file (tests/mutants/mutate.py).
fn mutatedFile(b: *std.Build, m: Mutant) std.Build.LazyPath {
    const run = b.addSystemCommand(&.{ "python3", "tests/mutants/mutate.py" });
    run.setCwd(b.path("."));
    run.addFileArg(b.path(m.file));
    const out = run.addOutputFileArg(std.fs.path.basename(m.file));
    for (m.edits) |e| run.addArgs(&.{ e[0], e[1] });
    return out;
}

/// A component's static library; with a mutant whose file is one of its
/// sources, that source mutated.
fn addComponent(t: Ctx, deps: Deps, spec: ComponentSpec, mutant: ?Mutant) *std.Build.Step.Compile {
    const b = t.b;
    const mod = newModule(t, deps, spec.libs, true);
    const flags = std.mem.concat(b.allocator, []const u8, &.{ own_flags, spec.flags }) catch @panic("OOM");
    for (spec.sources) |f| {
        if (mutant != null and std.mem.eql(u8, f, mutant.?.file)) {
            mod.addCSourceFile(.{ .file = mutatedFile(b, mutant.?), .flags = flags });
        } else {
            mod.addCSourceFile(.{ .file = b.path(f), .flags = flags });
        }
    }
    return b.addLibrary(.{ .name = if (mutant) |m| b.fmt("{s}-{s}", .{ spec.name, m.name }) else spec.name, .root_module = mod });
}

/// A shipped program for the target, or with mutant one of its files
/// mutated. lucid-init embeds every shipped profile as the service's filter
/// (--seccomp NAME) and its own, compiled for the target by the host
/// lucid-seccomp.
fn addShipped(p: Built, prog: Program, mutant: ?Mutant) *std.Build.Step.Compile {
    const b = p.t.b;
    const mutated_file = if (mutant) |m| m.file else "";
    var sources: std.ArrayList([]const u8) = .empty;
    for (prog.sources) |f| {
        if (!std.mem.eql(u8, f, mutated_file)) sources.append(b.allocator, f) catch @panic("OOM");
    }
    const exe = addExe(p, prog.name, &.{sources.items}, &.{}, prog.libs, true);
    for (prog.uses) |c| {
        const spec = components.get(c);
        const in_component = for (spec.sources) |f| {
            if (std.mem.eql(u8, f, mutated_file)) break true;
        } else false;
        exe.root_module.linkLibrary(if (in_component) addComponent(p.t, p.deps, spec, mutant) else p.libs.get(c));
    }
    if (mutant != null and sources.items.len < prog.sources.len)
        exe.root_module.addCSourceFile(.{ .file = mutatedFile(b, mutant.?), .flags = own_flags });
    if (!std.mem.startsWith(u8, prog.name, "lucid-init")) return exe;

    const filter_arch = switch (p.t.target.result.cpu.arch) {
        .x86_64 => "x86_64",
        .aarch64 => "aarch64",
        else => {
            // Its filters exist for these two only: say so, rather than
            // embed a filter for another arch that could never load.
            exe.step.dependOn(&b.addFail(b.fmt("lucid-init: no seccomp filters for {s} (x86_64 and aarch64 only)", .{@tagName(p.t.target.result.cpu.arch)})).step);
            return exe;
        },
    };
    for (seccomp_profiles) |profile| {
        const json = b.fmt("seccomp/{s}.json", .{profile});
        const input = if (std.mem.eql(u8, json, mutated_file)) mutatedFile(b, mutant.?) else b.path(json);
        const c_file = addFilterCompile(b, p.host_seccomp, input, filter_arch, b.fmt("lucid_filter_{s}", .{profile}));
        exe.root_module.addCSourceFile(.{ .file = c_file, .flags = own_flags });
    }
    const self = addFilterCompile(b, p.host_seccomp, b.path("seccomp/init-self.json"), filter_arch, "lucid_self_filter");
    exe.root_module.addCSourceFile(.{ .file = self, .flags = own_flags });
    return exe;
}

fn install(b: *std.Build, exe: *std.Build.Step.Compile, dir: []const u8) void {
    b.getInstallStep().dependOn(&b.addInstallArtifact(exe, .{
        .dest_dir = .{ .override = .{ .custom = dir } },
    }).step);
}

/// A module of our C for the target, with the include paths (and, for a
/// program, the libraries) that `libs` names.
fn newModule(t: Ctx, deps: Deps, libs: Libs, strip: bool) *std.Build.Module {
    const b = t.b;
    const mod = b.createModule(.{
        .target = t.target,
        .optimize = t.optimize,
        .link_libc = true,
        .strip = strip,
        .single_threaded = true,
    });
    mod.addIncludePath(b.path("."));
    // libseccomp's seccomp.h and seccomp-syscalls.h also come with the
    // library (installed headers).
    inline for (.{ "capng", "cmocka", "seccomp", "cjson", "mbedtls" }) |n| {
        if (@field(libs, n)) {
            const dep = @field(deps, n);
            mod.linkLibrary(dep.lib);
            for (dep.spec.public) |dir| mod.addIncludePath(depPath(b, dir));
        }
    }
    return mod;
}

/// A static executable: its own sources over the components it uses.
fn addExe(p: Built, name: []const u8, source_lists: []const []const []const u8, uses: []const Component, libs: Libs, strip: bool) *std.Build.Step.Compile {
    const b = p.t.b;
    const mod = newModule(p.t, p.deps, libs, strip);
    for (source_lists) |files| mod.addCSourceFiles(.{ .files = files, .flags = own_flags });
    for (uses) |c| mod.linkLibrary(p.libs.get(c));
    const exe = b.addExecutable(.{ .name = name, .root_module = mod, .linkage = .static });
    exe.link_gc_sections = true;
    return exe;
}

fn depPath(b: *std.Build, sub: []const u8) std.Build.LazyPath {
    return b.path(b.fmt(".cache/deps/src/{s}", .{sub}));
}

/// libcap-ng: its Debian tarball is a git snapshot without configure, so the
/// config.h that autoconf would write is supplied here (Linux, musl).
fn addLibCapNg(t: Ctx) Dep {
    const b = t.b;
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
    return addDepLibrary(t, .{
        .name = "cap-ng",
        .dir = "libcap-ng/src",
        .files = &.{ "cap-ng.c", "lookup_table.c" },
        .configs = &.{config},
        .includes = &.{"libcap-ng/src"},
        .public = &.{"libcap-ng/src"},
    });
}

/// cmocka: built from its single source file with the config CMake would write.
fn addCmocka(t: Ctx) Dep {
    const b = t.b;
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
    version_h.step.dependOn(t.fetch);

    const dep = addDepLibrary(t, .{
        .name = "cmocka",
        .dir = "cmocka/src",
        .files = &.{"cmocka.c"},
        .configs = &.{ config, version_h },
        .includes = &.{"cmocka/include"},
        .public = &.{"cmocka/include"},
        .flags = dep_flags ++ &[_][]const u8{"-DHAVE_CONFIG_H=1"},
        .single_threaded = false,
    });
    dep.lib.installConfigHeader(version_h);
    return dep;
}

/// libseccomp: the release tarball ships src/syscalls.perf.c, so gperf is not
/// needed; configure.h and include/seccomp.h (from seccomp.h.in) are written
/// here instead of by configure. The generated seccomp.h is installed with the
/// library, so everything that links it includes <seccomp.h> from the build cache.
fn addLibSeccomp(t: Ctx) Dep {
    const b = t.b;
    const config = b.addConfigHeader(.{ .style = .blank, .include_path = "configure.h" }, .{
        .HAVE_LINUX_SECCOMP_H = 1,
        .HAVE_INTTYPES_H = 1,
        .HAVE_STDINT_H = 1,
        .HAVE_STDIO_H = 1,
        .HAVE_STDLIB_H = 1,
        .HAVE_STRINGS_H = 1,
        .HAVE_STRING_H = 1,
        .HAVE_SYS_STAT_H = 1,
        .HAVE_SYS_TYPES_H = 1,
        .HAVE_UNISTD_H = 1,
        .STDC_HEADERS = 1,
        .PACKAGE = "libseccomp",
        .VERSION = "2.6.0",
    });
    const seccomp_h = b.addConfigHeader(.{
        .style = .{ .autoconf_at = depPath(b, "libseccomp/include/seccomp.h.in") },
        .include_path = "seccomp.h",
    }, .{ .VERSION_MAJOR = 2, .VERSION_MINOR = 6, .VERSION_MICRO = 0 });
    seccomp_h.step.dependOn(t.fetch);

    const dep = addDepLibrary(t, .{
        .name = "seccomp",
        .dir = "libseccomp/src",
        .files = &.{
            "api.c",          "system.c",           "helper.c",       "gen_pfc.c",
            "gen_bpf.c",      "hash.c",             "db.c",           "arch.c",
            "arch-x86.c",     "arch-x86_64.c",      "arch-x32.c",     "arch-arm.c",
            "arch-aarch64.c", "arch-loongarch64.c", "arch-m68k.c",    "arch-mips.c",
            "arch-mips64.c",  "arch-mips64n32.c",   "arch-parisc.c",  "arch-parisc64.c",
            "arch-ppc.c",     "arch-ppc64.c",       "arch-riscv64.c", "arch-s390.c",
            "arch-s390x.c",   "arch-sh.c",          "syscalls.c",     "syscalls.perf.c",
        },
        // The generated seccomp.h comes before the tarball's pre-generated copy;
        // include/ still provides seccomp-syscalls.h.
        .configs = &.{ config, seccomp_h },
        .includes = &.{ "libseccomp/src", "libseccomp/include" },
        .public = &.{"libseccomp/include"},
    });
    dep.lib.installConfigHeader(seccomp_h);
    dep.lib.installHeader(depPath(b, "libseccomp/include/seccomp-syscalls.h"), "seccomp-syscalls.h");
    return dep;
}

/// cJSON: one source file, no configuration.
fn addCjson(t: Ctx) Dep {
    return addDepLibrary(t, .{ .name = "cjson", .dir = "cjson", .files = &.{"cJSON.c"}, .public = &.{"cjson"} });
}

/// The library/ sources healthcheck/mbedtls_config.h uses (the rest would
/// compile to empty objects).
const mbedtls_sources = [_][]const u8{
    "aes.c", "aesce.c", "aesni.c", "asn1parse.c", "asn1write.c", "base64.c",
    "bignum.c", "bignum_core.c", "bignum_mod.c", "bignum_mod_raw.c", "block_cipher.c", "chacha20.c",
    "chachapoly.c", "cipher.c", "cipher_wrap.c", "constant_time.c", "ecdh.c", "ecdsa.c",
    "ecp.c", "ecp_curves.c", "ecp_curves_new.c", "gcm.c", "hkdf.c", "md.c",
    "oid.c", "pem.c", "pk.c", "pk_ecc.c", "pk_wrap.c", "pkparse.c",
    "pkwrite.c", "platform.c", "platform_util.c", "poly1305.c", "psa_crypto.c", "psa_crypto_aead.c",
    "psa_crypto_cipher.c", "psa_crypto_client.c", "psa_crypto_driver_wrappers_no_static.c", "psa_crypto_ecp.c", "psa_crypto_hash.c", "psa_crypto_mac.c",
    "psa_crypto_random.c", "psa_crypto_rsa.c", "psa_crypto_slot_management.c", "psa_util.c", "rsa.c", "rsa_alt_helpers.c",
    "sha256.c", "sha512.c", "ssl_ciphersuites.c", "ssl_client.c", "ssl_msg.c", "ssl_tls.c",
    "ssl_tls12_client.c", "ssl_tls13_client.c", "ssl_tls13_generic.c", "ssl_tls13_keys.c", "x509.c", "x509_crt.c",
};

/// mbedTLS: the TLS 1.2/1.3 client of lucid-health, configured by
/// healthcheck/mbedtls_config.h (everything it leaves out compiles to
/// nothing). The crypto, X.509 and TLS sources of library/; the 3rdparty
/// drivers (Everest, p256-m) stay out with their options.
fn addMbedtls(t: Ctx) Dep {
    return addDepLibrary(t, .{
        .name = "mbedtls",
        .dir = "mbedtls/library",
        .files = &mbedtls_sources,
        .includes = &.{ "mbedtls/include", "mbedtls/library" },
        .own_includes = &.{"."},
        .public = &.{"mbedtls/include"},
        .flags = dep_flags ++ &[_][]const u8{"-DMBEDTLS_CONFIG_FILE=\"healthcheck/mbedtls_config.h\""},
    });
}

/// One third-party static library from an unpacked Debian source tree.
const DepLibrary = struct {
    name: []const u8,
    /// The sources' directory, under .cache/deps/src.
    dir: []const u8,
    files: []const []const u8,
    /// Generated headers, searched first, in this order.
    configs: []const *std.Build.Step.ConfigHeader = &.{},
    /// Include directories under .cache/deps/src, searched after the configs.
    includes: []const []const u8 = &.{},
    /// Include directories of ours (from the build root), searched last.
    own_includes: []const []const u8 = &.{},
    /// Where code that uses the library finds its headers (besides headers
    /// the library installs), under .cache/deps/src.
    public: []const []const u8 = &.{},
    flags: []const []const u8 = dep_flags,
    single_threaded: bool = true,
};

/// Compile a DepLibrary for target once deps/fetch has unpacked its source.
fn addDepLibrary(t: Ctx, dep: DepLibrary) Dep {
    const b = t.b;
    const mod = b.createModule(.{
        .target = t.target,
        .optimize = t.optimize,
        .link_libc = true,
        .single_threaded = dep.single_threaded,
    });
    for (dep.configs) |config| mod.addConfigHeader(config);
    for (dep.includes) |dir| mod.addIncludePath(depPath(b, dir));
    for (dep.own_includes) |dir| mod.addIncludePath(b.path(dir));
    mod.addCSourceFiles(.{ .root = depPath(b, dep.dir), .files = dep.files, .flags = dep.flags });
    const lib = b.addLibrary(.{ .name = dep.name, .root_module = mod });
    lib.step.dependOn(t.fetch);
    // The configs slice lives in the caller's frame: keep a copy.
    var spec = dep;
    spec.configs = b.allocator.dupe(*std.Build.Step.ConfigHeader, dep.configs) catch @panic("OOM");
    return .{ .lib = lib, .spec = spec };
}

/// PROFILE compiled by the host lucid-seccomp for ARCH ("x86_64" or "aarch64")
/// into the LUCIDBPF format (common/bpfblob.h): the file itself, or with
/// c_symbol a C source defining `const unsigned char SYMBOL[]` and
/// `const unsigned long SYMBOL_len`. --strict: a shipped profile must name only
/// syscalls that exist on the arch it is compiled for.
fn addFilterCompile(
    b: *std.Build,
    host_seccomp: *std.Build.Step.Compile,
    profile: std.Build.LazyPath,
    arch: []const u8,
    c_symbol: ?[]const u8,
) std.Build.LazyPath {
    const run = b.addRunArtifact(host_seccomp);
    run.addArg("compile");
    run.addFileArg(profile);
    run.addArgs(&.{ "--arch", arch, "--strict" });
    if (c_symbol) |symbol| run.addArgs(&.{ "--c-array", symbol });
    run.addArg("-o");
    return run.addOutputFileArg(if (c_symbol) |symbol| b.fmt("{s}.c", .{symbol}) else b.fmt("filter-{s}.bpf", .{arch}));
}

/// A named step that runs one of our scripts with the install prefix, after
/// everything is built and installed.
fn addScriptStep(b: *std.Build, name: []const u8, description: []const u8, script: []const u8) *std.Build.Step.Run {
    const run = b.addSystemCommand(&.{script});
    run.setCwd(b.path("."));
    run.addArg(b.install_prefix);
    run.has_side_effects = true;
    run.stdio = .inherit;
    run.step.dependOn(b.getInstallStep());
    b.step(name, description).dependOn(&run.step);
    return run;
}
