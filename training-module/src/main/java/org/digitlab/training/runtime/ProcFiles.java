package org.digitlab.training.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What Linux's {@code /proc/cpuinfo} and {@code /proc/driver/nvidia/version} say, parsed from their text. */
public final class ProcFiles {
    /** {@code /proc/cpuinfo} flag → the name TensorFlow's CPU feature guard prints, in its order. */
    private static final Map<String, String> TENSORFLOW_FLAGS = new LinkedHashMap<>();

    static {
        for (String flag : List.of("sse4_1", "sse4_2", "avx", "avx2", "fma", "avx512f", "avx512_vnni",
                "avx512_bf16", "avx512_fp16", "avx_vnni", "amx_tile", "amx_int8", "amx_bf16")) {
            TENSORFLOW_FLAGS.put(flag, flag.replace("sse4_", "SSE4.").toUpperCase(Locale.ROOT));
        }
    }

    /** "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15 …" (or "Open Kernel Module for x86_64"). */
    private static final Pattern DRIVER = Pattern.compile("Kernel Module(?: for \\S+)?\\s+(\\d+(?:\\.\\d+)+)");

    private ProcFiles() {
    }

    /** This machine's {@code /proc/cpuinfo}, or "" where it cannot be read (not Linux). */
    public static String cpuinfo() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException e) {
            return "";
        }
    }

    /** The first {@code model name} of {@code /proc/cpuinfo}, or empty. */
    public static Optional<String> cpuModel(String cpuinfo) {
        return field(cpuinfo, "model name");
    }

    /**
     * The instruction sets TensorFlow's x86 kernels use (SSE4.1 … AVX2, FMA, AVX-512, AMX) that the first CPU
     * of {@code /proc/cpuinfo} has, named as TensorFlow names them.
     */
    public static List<String> tensorflowInstructionSets(String cpuinfo) {
        Set<String> flags = new HashSet<>(Arrays.asList(field(cpuinfo, "flags").orElse("").split("\\s+")));
        List<String> present = new ArrayList<>();
        TENSORFLOW_FLAGS.forEach((flag, name) -> {
            if (flags.contains(flag)) {
                present.add(name);
            }
        });
        return present;
    }

    /** Whether the first CPU of {@code /proc/cpuinfo} computes in bfloat16 natively (AVX512-BF16 or AMX-BF16). */
    public static boolean bfloat16(String cpuinfo) {
        List<String> sets = tensorflowInstructionSets(cpuinfo);
        return sets.contains("AVX512_BF16") || sets.contains("AMX_BF16");
    }

    /** The driver version in {@code /proc/driver/nvidia/version}'s text, or empty. */
    public static Optional<String> nvidiaDriverVersion(String procDriverNvidiaVersion) {
        Matcher m = DRIVER.matcher(procDriverNvidiaVersion);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static Optional<String> field(String cpuinfo, String name) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
                return Optional.of(line.substring(colon + 1).trim());
            }
        }
        return Optional.empty();
    }
}
