package io.taxietl.servers;

import org.apache.catalina.connector.Connector;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Binds every Tomcat connector of S3Mock to {@code server.address} (127.0.0.1 unless set). S3Mock adds a
 * second, plain-HTTP connector of its own, which Spring Boot's {@code server.address} does not reach: without
 * this it listens on all interfaces. Loaded by scripts/s3.sh through META-INF/spring.factories on
 * {@code -Dloader.path}.
 */
public final class LoopbackHttpConnector implements ApplicationContextInitializer<ConfigurableApplicationContext> {
  @Override
  public void initialize(ConfigurableApplicationContext context) {
    String address = context.getEnvironment().getProperty("server.address", "127.0.0.1");
    context.getBeanFactory().addBeanPostProcessor(new BindConnectors(address));
  }

  private static final class BindConnectors implements BeanPostProcessor {
    private final String address;

    BindConnectors(String address) {
      this.address = address;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
      if (bean instanceof Connector connector) {
        connector.setProperty("address", address);
      }
      return bean;
    }
  }
}
