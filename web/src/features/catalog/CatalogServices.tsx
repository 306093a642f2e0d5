import type { ChannelEntry } from '@flowscope/shared';
import { useMemo } from 'react';
import { AnnotationBlock, annotationTarget, type Annotations } from '../annotations';

type ServiceEntry = { name: string; produces: string[]; consumes: string[] };

function servicesOf(channels: readonly ChannelEntry[]): ServiceEntry[] {
  const byName = new Map<string, ServiceEntry>();
  const get = (name: string) => {
    let s = byName.get(name);
    if (!s) byName.set(name, (s = { name, produces: [], consumes: [] }));
    return s;
  };
  for (const c of channels) {
    for (const p of c.producers) get(p).produces.push(c.name);
    for (const p of c.consumers) get(p).consumes.push(c.name);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Every service seen producing or consuming, with its note. */
export function CatalogServices({
  channels,
  annotations,
}: {
  channels: readonly ChannelEntry[];
  annotations: Annotations;
}) {
  const services = useMemo(() => servicesOf(channels), [channels]);
  if (services.length === 0) return null;
  return (
    <section className="fs-catalog__section" aria-labelledby="catalog-services">
      <h2 id="catalog-services">Services</h2>
      <ul className="fs-services">
        {services.map((s) => (
          <li key={s.name} className="fs-card fs-service" id={`service-${s.name}`}>
            <h3 className="fs-card__title">{s.name}</h3>
            <p className="fs-muted">
              {s.produces.length > 0 && <>produces to {s.produces.join(', ')}</>}
              {s.produces.length > 0 && s.consumes.length > 0 && ' · '}
              {s.consumes.length > 0 && <>consumes from {s.consumes.join(', ')}</>}
            </p>
            <AnnotationBlock
              target={annotationTarget.service(s.name)}
              annotations={annotations}
              subject={`service ${s.name}`}
              compact
            />
          </li>
        ))}
      </ul>
    </section>
  );
}
