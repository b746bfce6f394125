import { Injectable } from '@nestjs/common';
import { GopyConfig, Topic, loadTopics } from '@gopy/config';

/** The topics of `config/topics.yaml`, read and checked once at start. */
@Injectable()
export class TopicCatalog {
  readonly topics: readonly Topic[];
  private readonly byCode: Map<string, Topic>;

  constructor(config: GopyConfig) {
    this.topics = loadTopics(config.configDir);
    this.byCode = new Map(this.topics.map((t) => [t.code, t]));
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  name(code: string, lang: 'vi' | 'en'): string {
    return this.byCode.get(code)?.name[lang] ?? code;
  }
}
