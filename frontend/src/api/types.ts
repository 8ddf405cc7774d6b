/** Shapes of the public API (see shared/design/API.md), as the web app reads them. */

export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface ServiceHealth {
  status: HealthStatus;
  version: string | null;
}

/** GET /api/health: HTTP 200 when ok or degraded, 503 when down (same body). */
export interface Health {
  status: HealthStatus;
  version: string;
  git_sha: string;
  build_date: string;
  /** When the services were asked (the gateway reuses an `ok` answer briefly). */
  checked_at?: string;
  services: Record<string, ServiceHealth>;
}

/** The one error envelope every service answers with. */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    details?: unknown[];
    request_id?: string;
  };
}

/** Every list endpoint answers with this page shape. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
  total: number;
  total_is_lower_bound: boolean;
}

export type GlobalRole = 'admin' | 'user';
export type SpaceRole = 'owner' | 'admin' | 'member' | 'viewer';

export interface User {
  id: string;
  email: string;
  name: string;
  role: GlobalRole;
}

export interface SpaceRef {
  id: string;
  name: string;
  role: SpaceRole;
}

/** GET /api/auth/me */
export interface Me {
  user: User;
  active_space: SpaceRef | null;
  spaces: SpaceRef[];
  features: Record<string, unknown>;
  /** Older servers leave it out: then two-factor sign-in is simply not offered. */
  two_factor?: TwoFactorState;
}

export interface TwoFactorState {
  enabled: boolean;
  /** The instance requires it of admins and this admin has none yet: admin pages refuse. */
  required: boolean;
}

/** POST /api/auth/login when the password was right but a second factor is needed. */
export interface TwoFactorChallenge {
  two_factor_required: true;
  challenge_token: string;
  expires_at: string;
}

export interface TwoFactorSetup {
  otpauth_uri: string;
  qr_svg: string;
}

/** GET /api/auth/config */
export interface AuthConfig {
  first_run: boolean;
  registration: 'invite_only' | 'open';
  password_min_length?: number;
  /** The server refuses passwords from its bundled list of the most common ones. */
  password_rejects_common?: boolean;
  password_login?: boolean;
  /** Mail is configured: people can ask for a reset link from the sign-in page. */
  password_reset_by_email?: boolean;
  /** Identity providers offered on the sign-in page. */
  sso?: SsoProviderBrief[];
  /** A forward-auth proxy in front of the app may sign people in (GET /api/auth/forward-auth). */
  forward_auth?: boolean;
}

export interface SsoProviderBrief {
  id: string;
  name: string;
}

/** A personal API token (its secret is shown only once, when it is created). */
export interface ApiToken {
  id: string;
  name: string;
  space_id: string;
  space_name: string;
  role: SpaceRole;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

export interface CreatedApiToken {
  token: ApiToken;
  secret: string;
}

export interface ResetLink {
  reset_url: string;
  expires_at: string;
}

export interface Member {
  user_id: string;
  email: string;
  name: string;
  role: SpaceRole;
  joined_at: string;
}

export type InviteState = 'pending' | 'used' | 'revoked' | 'expired';

export interface Invite {
  id: string;
  email: string;
  role: SpaceRole;
  state: InviteState;
  expires_at: string;
  created_by: string;
  created_at: string;
  used_by: string | null;
  used_at: string | null;
}

/** POST /api/spaces/{id}/invites: the token is shown once. */
export interface CreatedInvite {
  invite: Invite;
  token: string;
  invite_url: string;
}

export interface AdminUser extends User {
  disabled?: boolean;
  created_at?: string;
  two_factor_enabled?: boolean;
}

export interface AdminSpace {
  id: string;
  name: string;
  member_count?: number;
  members?: number;
  created_at?: string;
}

export interface FeatureFlag {
  key: string;
  enabled: boolean;
  description?: string;
}

export interface ActivityRow {
  id: string;
  action: string;
  user_id: string | null;
  space_id: string | null;
  entity_type: string | null;
  entity_id: string | null;
  details: Record<string, unknown> | null;
  request_id: string | null;
  created_at: string;
  /** Names resolved when the row was written; null on older rows or when never known. */
  actor_name?: string | null;
  space_name?: string | null;
  subject_name?: string | null;
}

/** A person or space of the log with the newest name it holds for them (null: never known). */
export interface ActivityNamed {
  id: string;
  name: string | null;
}

export interface ActivityFacets {
  people: ActivityNamed[];
  actions: string[];
  /** The whole log's spaces; empty in a space's own facets. */
  spaces: ActivityNamed[];
}

export type MediaType = 'movie' | 'tv_series' | 'other';
export type CopyFormat = '4K UHD' | 'Blu-ray' | 'DVD' | 'VHS' | 'LaserDisc' | 'Digital' | 'Other';
export type Resolution = 'sd' | '720p' | '1080p' | '4k';
export type Visibility = 'private' | 'shared';

export type Condition = 'mint' | 'near_mint' | 'very_good' | 'good' | 'fair' | 'poor';

/** What a copy cost (`price` in `currency`, an ISO 4217 code), when and where it was bought. */
export interface Purchase {
  /** A number on the way out; a decimal text is taken on the way in (exact cents). */
  price: number | string | null;
  currency: string | null;
  /** YYYY-MM-DD */
  date: string | null;
  store: string | null;
}

export interface Copy {
  id: string;
  format: CopyFormat;
  edition: string | null;
  barcode: string | null;
  region: string | null;
  location: string | null;
  notes: string | null;
  resolution: Resolution | null;
  source_provider: string | null;
  source_external_id: string | null;
  /** The seasons of its show the copy holds, in order (a "Seasons 1–3" set: [1, 2, 3]). */
  season_numbers?: number[];
  /** Null when nothing of the purchase is known. */
  purchase?: Purchase | null;
  condition?: Condition | null;
  /** The copy's open loan; null (or absent) when the copy is at home. */
  loan?: CopyLoan | null;
}

export type CopyInput = Partial<Omit<Copy, 'id' | 'format' | 'loan'>> & { format: CopyFormat };

/** A season of a show; 0 is "Specials". */
export interface Season {
  number: number;
  name: string;
  year: number | null;
  episode_count: number | null;
}

export type SeasonInput = Pick<Season, 'number'> & Partial<Omit<Season, 'number'>>;

export interface CopyLoan {
  id: string;
  borrower_user_id: string | null;
  borrower_name: string | null;
  lent_at: string;
  due_at: string | null;
  overdue: boolean;
}

export interface Loan extends CopyLoan {
  copy_id: string;
  media_id: string;
  title: string;
  format: CopyFormat;
  lent_by: string | null;
  returned_at: string | null;
}

/** A member (`borrower_user_id`) or anyone by name (`borrower_name`), never both. */
export interface LoanInput {
  borrower_user_id?: string;
  borrower_name?: string;
  due_at?: string;
}

export interface Annotation {
  user_id?: string;
  user_name?: string;
  name?: string;
  rating: number | null;
  notes: string | null;
  watched: boolean;
  /** When the annotation's author watched it (their own annotation; null when not watched). */
  watched_at?: string | null;
  visibility: Visibility;
  updated_at?: string;
}

/** PUT /api/media/{id}/watched: the caller's watched state of one title. */
export interface WatchedState {
  media_id: string;
  watched_at: string | null;
  play_count: number;
  source: 'manual' | 'plex' | 'trakt' | null;
}

export interface Media {
  id: string;
  space_id: string;
  title: string;
  original_title: string | null;
  sort_title: string | null;
  media_type: MediaType;
  year: number | null;
  runtime_minutes: number | null;
  overview: string | null;
  poster_url: string | null;
  /** The own cover's images by width ("200", "500", "1000"); null without one (poster_url is then TMDB's or Plex's). */
  cover_urls?: Record<string, string> | null;
  backdrop_url?: string | null;
  genres: string[];
  directors: string[];
  cast: string[];
  /** The character each of `cast` plays, in its order; null where none is known (detail only). */
  cast_characters?: Array<string | null>;
  season_count?: number | null;
  episode_count?: number | null;
  /** Recorded seasons (specials left out) that some copy holds, and how many are recorded. */
  seasons_owned?: number;
  seasons_total?: number;
  tmdb_id: number | null;
  tmdb_media_type: 'movie' | 'tv' | null;
  imdb_id: string | null;
  tvdb_id: number | null;
  rating: number | null;
  notes: string | null;
  added_by: string | null;
  added_by_name?: string | null;
  created_at: string;
  updated_at: string;
  copies: Copy[];
  /** Free tags of the space, alphabetically. */
  tags?: string[];
  /** The caller's own annotation (detail only). */
  annotation?: Annotation | null;
  my_annotation?: Annotation | null;
  /** Other members' shared annotations (detail only). */
  shared_annotations?: Annotation[];
  user_rating?: number | null;
  /** When the caller watched it; null when they have not (list and detail). */
  watched_at?: string | null;
  deleted_at?: string | null;
}

export type MediaInput = Partial<
  Omit<
    Media,
    'id' | 'space_id' | 'created_at' | 'updated_at' | 'copies' | 'added_by' | 'sort_title' | 'seasons_owned' | 'seasons_total'
  >
> & { copies?: CopyInput[] };

export interface AnnotationInput {
  rating?: number | null;
  notes?: string | null;
  /** Left out keeps the watched state as it is (the Watched panel sets it). */
  watched?: boolean;
  visibility: Visibility;
}

/** A count per key; the server may send a map or a list of {key, count}. */
export type Counts = Record<string, number> | Array<{ key?: string; label?: string; count?: number; value?: number }>;

/** GET /api/media/stats */
export interface MediaStats {
  total: number;
  by_format: Counts;
  by_media_type: Counts;
  by_decade: Counts;
  by_genre: Counts;
  by_source: Counts;
  added_by_month: Counts;
  attention: { no_poster: number; no_copies: number; duplicate_groups: number };
  /** What the priced copies of live titles cost, per currency (never added across currencies). */
  value?: CollectionValue;
}

export interface CurrencyValue {
  currency: string;
  total: number;
  copies: number;
}

export interface CollectionValue {
  by_currency: CurrencyValue[];
  by_format: Array<CurrencyValue & { format: CopyFormat }>;
  /** `year` null: copies bought on a day not recorded. */
  by_year: Array<CurrencyValue & { year: number | null }>;
}

export interface DuplicateGroup {
  id?: string;
  reason?: string;
  reasons?: string[];
  items?: Media[];
  media?: Media[];
}

export interface MergeResult {
  merge_id: string;
  media: Media;
}

/** A title as a lookup provider describes it (TMDB search, UPC, cover). */
export interface Candidate {
  provider?: string;
  external_id?: string;
  title: string;
  original_title?: string | null;
  media_type?: MediaType | 'tv';
  year?: number | null;
  runtime_minutes?: number | null;
  overview?: string | null;
  poster_url?: string | null;
  backdrop_url?: string | null;
  genres?: string[];
  directors?: string[];
  cast?: string[];
  cast_characters?: Array<string | null>;
  rating?: number | null;
  tmdb_id?: number | null;
  tmdb_media_type?: 'movie' | 'tv' | null;
  imdb_id?: string | null;
  identities?: { tmdb_id?: number | null; tmdb_media_type?: 'movie' | 'tv' | null; imdb_id?: string | null };
  /** UPC and cover answers: the product or recognized text, with its best TMDB match. */
  name?: string;
  product_title?: string;
  upc?: string;
  tmdb_match?: Candidate | null;
  best_match?: Candidate | null;
  match?: Candidate | null;
  matches?: Candidate[];
  confidence?: number;
}

export type Provider = 'tmdb' | 'barcode' | 'vision' | 'plex' | 'trakt';
export type IntegrationStatus = 'ok' | 'untested' | 'failing' | 'cannot_decrypt';

export interface PlexSection {
  key: string;
  title: string;
  type: string;
}

export interface IntegrationSettings {
  provider: Provider;
  base_url?: string | null;
  secret_set: boolean;
  secret_hint?: string | null;
  status?: IntegrationStatus;
  library_sections?: PlexSection[];
  model?: string | null;
  client_id?: string | null;
  [field: string]: unknown;
}

export interface IntegrationTestResult {
  ok: boolean;
  detail: string;
  server_name?: string;
  version?: string;
  sections?: PlexSection[];
  /** False when the values tested were typed and not saved yet (the saved status is unchanged). */
  saved_settings?: boolean;
  [field: string]: unknown;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface SyncJob {
  id: string;
  provider: string;
  kind: string;
  status: JobStatus;
  progress: { total: number | null; processed: number } | null;
  summary: {
    created: number;
    updated: number;
    skipped: number;
    failed: number;
    errors: Array<{ item: string; reason: string }>;
    /** How many reasons the job kept in all; `errors` may hold only the first ones. */
    errors_total?: number;
  } | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** What an import found and did, by kind of thing (a collectZ move: users, spaces, titles, …). */
  report?: Record<string, unknown> | null;
  /** Set by a cancel while running: the job stops before its next batch. */
  cancel_requested?: boolean;
  /** File and collectZ imports: a dry run reports what it would write and writes nothing. */
  dry_run?: boolean;
}

export interface SyncSchedule {
  provider: string;
  kind: string;
  every_minutes: number;
  enabled: boolean;
  next_run_at: string | null;
}

/** The file formats `POST /api/imports/file` reads; without one the server detects it. */
export type ImportPreset = 'shelfspace_json' | 'csv' | 'clz_movies' | 'letterboxd' | 'imdb' | 'trakt' | 'collectz_csv';

/** Something the server noticed in a file before importing it (a column it cannot use, a missing title). */
export interface ImportProblem {
  code: string | null;
  row: number | null;
  column: string | null;
  message: string;
}

export type RowOutcome = 'ok' | 'skipped' | 'failed';

/** One of a preview's first rows: its values by field and what the import would make of it. */
export interface ImportPreviewRow {
  row: number | null;
  fields: Record<string, unknown>;
  outcome: RowOutcome;
  reason: string | null;
}

/** POST /api/imports/file/preview: the file as the server reads it, before anything is written. */
export interface ImportPreview {
  preset: ImportPreset;
  columns: string[];
  /** Column → field; a column mapped to null is left out. */
  mapping: Record<string, string | null>;
  rows: ImportPreviewRow[];
  problems: ImportProblem[];
  total_rows: number | null;
  encoding: string | null;
  delimiter: string | null;
  /** Whether the space has TMDB set up: only then can rows without ids be looked up. */
  tmdb_configured: boolean;
}

export type ExportFormat = 'csv' | 'json';

/** POST /api/admin/imports/collectz: never stored by the web app. */
export interface CollectzImportRequest {
  database_url: string;
  dry_run: boolean;
  collectz_encryption_key?: string;
  space_id?: string;
}

/** GET/PATCH /api/admin/instance-settings */
export interface InstanceSettings {
  registration: 'invite_only' | 'open';
  space_creation: 'everyone' | 'admins';
  /** Admins without two-factor sign-in can use only their profile until they set it up. */
  two_factor_for_admins?: boolean;
  /** Off: only the first admin (the break-glass account) signs in with a password. */
  password_login?: boolean;
}

/** An OpenID provider as the admin sees it: the client secret is never sent back, only `secret_set`. */
export interface SsoProvider {
  id: string;
  name: string;
  issuer: string;
  client_id: string;
  secret_set?: boolean;
  redirect_uri?: string;
  scopes: string;
  email_claim: string;
  name_claim: string;
  groups_claim: string;
  allowed_email_domains: string[];
  allowed_groups: string[];
  group_roles: Record<string, GlobalRole>;
  auto_create: boolean;
}

export interface SsoConfig {
  providers: SsoProvider[];
  forward_auth: boolean;
}

/** A provider as saved: `client_secret` only when it changes. */
export type SsoProviderInput = Omit<SsoProvider, 'secret_set' | 'redirect_uri'> & { client_secret?: string };

export interface SsoTestResult {
  ok: boolean;
  detail: string;
}

/** One title of the user's watchlist, merged across the providers that list it. */
export interface WatchlistEntry {
  title: string;
  media_type: MediaType;
  year: number | null;
  tmdb_id: number | null;
  imdb_id: string | null;
  poster_url: string | null;
  providers: Array<{ provider: 'plex' | 'trakt' | string; external_id: string }>;
  /** Whether the active space holds the title; null when the library could not be asked. */
  owned: boolean | null;
  media_id: string | null;
}

/** GET /api/watchlist */
export interface Watchlist {
  items: WatchlistEntry[];
  synced_at: string | null;
}

/** GET /api/integrations/trakt/link: the caller's Trakt link in the active space. */
export interface TraktLinkStatus {
  status: 'not_linked' | 'pending' | 'linked' | 'cannot_decrypt';
  since: string | null;
  /** The space has a Trakt app (client id and secret) to link with. */
  available: boolean;
  detail?: string;
}

/** POST /api/integrations/trakt/link: the code to enter at Trakt. */
export interface TraktDeviceCode {
  user_code: string;
  verification_url: string;
  expires_in: number;
  interval: number;
}

/** POST /api/integrations/trakt/link/poll */
export type TraktPoll = { status: 'linked' | 'expired' | 'denied' } | { status: 'pending'; interval: number };
