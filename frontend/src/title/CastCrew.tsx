import type { Media } from '../api/types';
import { Link } from '../app/navigation';
import { libraryHref } from '../library/filters';

const MAIN_CAST = 12;

function Person({ name, filter, role }: { name: string; filter: 'director' | 'cast'; role: string }) {
  return (
    <li>
      <Link to={libraryHref({ [filter]: name })}>{name}</Link>
      <div className="muted small">{role}</div>
    </li>
  );
}

/** Who made it and who is in it, each a link to the library filtered by that person. */
export function CastCrew({
  media,
}: {
  media: Pick<Media, 'media_type' | 'directors' | 'cast'> & Partial<Pick<Media, 'cast_characters'>>;
}) {
  const crew = media.directors ?? [];
  const cast = (media.cast ?? []).slice(0, MAIN_CAST);
  const characters = media.cast_characters ?? [];
  if (!crew.length && !cast.length) return null;
  const crewRole = media.media_type === 'tv_series' ? 'Creator' : 'Director';
  return (
    <section className="title-section" aria-labelledby="cast-crew-heading">
      <h2 id="cast-crew-heading">Cast and crew</h2>
      <ul className="people" aria-label="Cast and crew">
        {crew.map((name) => (
          <Person key={`crew-${name}`} name={name} filter="director" role={crewRole} />
        ))}
        {cast.map((name, index) => (
          <Person
            key={`cast-${name}`}
            name={name}
            filter="cast"
            role={characters[index] ? `as ${characters[index]}` : 'Cast'}
          />
        ))}
      </ul>
    </section>
  );
}
