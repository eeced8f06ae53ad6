package io.vane.it.tls;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult.Mqtt5Qos1Result;
import io.vane.transport.tls.PemFiles;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/** HiveMQ MQTT 5 clients over TLS that trust given CA files and present a client certificate, or none. */
final class ClientTls {
    private ClientTls() {
    }

    static TrustManagerFactory trusting(Path... cas) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (Path ca : cas) {
            for (X509Certificate c : io.vane.transport.tls.ServerCertificate.readChain(ca)) {
                ks.setCertificateEntry("ca" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf;
    }

    static KeyManagerFactory presenting(Path cert, Path key) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "test".toCharArray();
        List<X509Certificate> chain = io.vane.transport.tls.ServerCertificate.readChain(cert);
        ks.setKeyEntry("client", PemFiles.privateKey(key), pw, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        return kmf;
    }

    /** A client for 127.0.0.1:port; {@code kmf} null sends no certificate. Not connected yet. */
    static Mqtt5BlockingClient client(String id, int port, TrustManagerFactory tmf, KeyManagerFactory kmf) {
        Mqtt5ClientBuilder b = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(port);
        var ssl = b.sslConfig().trustManagerFactory(tmf);
        if (kmf != null) {
            ssl = ssl.keyManagerFactory(kmf);
        }
        return ssl.applySslConfig().buildBlocking();
    }

    /** The PUBACK reason code of a QoS 1 publish; HiveMQ's blocking client throws on error codes. */
    static int pubAck(Mqtt5BlockingClient c, String topic) {
        try {
            Mqtt5Qos1Result r = (Mqtt5Qos1Result) c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(new byte[] {1}).send();
            return r.getPubAck().getReasonCode().getCode();
        } catch (Mqtt5PubAckException e) {
            return e.getMqttMessage().getReasonCode().getCode();
        }
    }
}
