import org.apache.spark.streaming.scheduler.rate.PIDRateEstimator;
import dev.sluice.rate.SparkPidEstimator;
import java.util.Random;
/**
 * One-off differential check of SparkPidEstimator against the real Spark 3.5.7 PIDRateEstimator: random constructor
 * arguments and call sequences (including invalid calls and times going backwards), outputs compared bit for bit.
 * Not part of the Maven build (rate-controller must not depend on Spark); run ./spark-pid-differential.sh.
 */
public class SparkPidDifferential {
    public static void main(String[] a) {
        Random r = new Random(7);
        long checked = 0, mism = 0;
        for (int run = 0; run < 2000; run++) {
            long batch = 1 + r.nextInt(5000);
            double p = r.nextDouble() * 2, i = r.nextDouble(), d = r.nextDouble() * 0.5, min = 0.5 + r.nextDouble() * 200;
            PIDRateEstimator spark = new PIDRateEstimator(batch, p, i, d, min);
            SparkPidEstimator ours = new SparkPidEstimator(batch, p, i, d, min);
            long t = r.nextInt(1000) - 100;
            for (int k = 0; k < 60; k++) {
                t += r.nextInt(3) == 0 ? -r.nextInt(50) : r.nextInt(3000);
                long n = r.nextInt(5) == 0 ? r.nextInt(3) - 1 : r.nextInt(100000);
                long pd = r.nextInt(6) == 0 ? r.nextInt(3) - 1 : r.nextInt(10000);
                long sd = r.nextInt(20000);
                scala.Option<Object> s = spark.compute(t, n, pd, sd);
                double o = ours.compute(t, n, pd, sd);
                checked++;
                boolean same = s.isEmpty() ? Double.isNaN(o) : (!Double.isNaN(o) && Double.doubleToLongBits((Double) s.get()) == Double.doubleToLongBits(o));
                if (!same) { mism++; if (mism < 5) System.out.println("MISMATCH " + s + " vs " + o); }
            }
        }
        System.out.println("checked " + checked + " calls, mismatches " + mism);
    }
}
