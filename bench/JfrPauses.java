import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Prints the longest stop-the-world pauses in a JFR recording: GC pauses (jdk.GCPhasePause) and
 * safepoints (jdk.SafepointBegin..End as jdk.ExecuteVMOperation durations), with totals.
 *   java bench/JfrPauses.java recording.jfr
 */
public class JfrPauses {
    public static void main(String[] args) throws Exception {
        Duration longestGc = Duration.ZERO, totalGc = Duration.ZERO, longestVmOp = Duration.ZERO;
        String longestGcName = "-", longestVmOpName = "-";
        int gcPauses = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = e.getEventType().getName();
            Duration d = e.getDuration();
            if (type.equals("jdk.GCPhasePause")) {
                gcPauses++;
                totalGc = totalGc.plus(d);
                if (d.compareTo(longestGc) > 0) {
                    longestGc = d;
                    longestGcName = e.getString("name");
                }
            } else if (type.equals("jdk.ExecuteVMOperation") && e.getBoolean("safepoint") && d.compareTo(longestVmOp) > 0) {
                longestVmOp = d;
                longestVmOpName = e.getString("operation");
            }
        }
        System.out.printf("GC pauses: %d, total %.3f ms, longest %.3f ms (%s)%n", gcPauses, ms(totalGc), ms(longestGc),
                longestGcName);
        if (longestVmOpName.equals("-")) {
            System.out.println("no safepoint operation above the recording's threshold (20 ms in JFR's default settings)");
        } else {
            System.out.printf("longest safepoint operation: %.3f ms (%s)%n", ms(longestVmOp), longestVmOpName);
        }
    }

    private static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }
}
