package io.ancdb.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the benchmarks ran on: CPU, cores, memory, kernel, OS (read from /proc and /etc). */
final class Machine {
    private Machine() {
    }

    static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> cpu = lines("/proc/cpuinfo");
        m.put("cpu", cpu.stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown"));
        m.put("cores", (double) Runtime.getRuntime().availableProcessors());
        m.put("ram_gib", lines("/proc/meminfo").stream().filter(l -> l.startsWith("MemTotal:")).findFirst()
                .map(l -> Math.round(Long.parseLong(l.replaceAll("\\D+", "")) / 1048576.0 * 10) / 10.0)
                .orElse(Double.NaN));
        m.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("os", lines("/etc/os-release").stream().filter(l -> l.startsWith("PRETTY_NAME=")).findFirst()
                .map(l -> l.substring(12).replace("\"", "")).orElse("unknown"));
        m.put("arch", System.getProperty("os.arch"));
        return m;
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            return List.of();
        }
    }
}
