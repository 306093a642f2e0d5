// A real Kafka producer (the Java client, with its own gzip/snappy/lz4/zstd codecs) for tests and
// benchmarks: `java -cp <kafka classpath> scripts/java/Produce.java <brokers> <topic> <compression>`.
// Reads records from stdin, one per line: key<TAB>value, or value alone. An empty line ends the batch.
// Optional 4th arg: a properties file with client security settings (SASL/TLS).
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

public class Produce {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", args[0]);
    props.put("compression.type", args[2]);
    props.put("linger.ms", "20");
    props.put("acks", "all");
    props.put("key.serializer", StringSerializer.class.getName());
    props.put("value.serializer", StringSerializer.class.getName());
    if (args.length > 3) {
      try (FileInputStream in = new FileInputStream(args[3])) {
        props.load(in);
      }
    }
    int sent = 0;
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props);
        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null && !line.isEmpty()) {
        int tab = line.indexOf('\t');
        String key = tab >= 0 ? line.substring(0, tab) : null;
        String value = tab >= 0 ? line.substring(tab + 1) : line;
        producer.send(new ProducerRecord<>(args[1], key, value));
        sent++;
      }
      producer.flush();
    }
    System.out.println("sent " + sent);
  }
}
