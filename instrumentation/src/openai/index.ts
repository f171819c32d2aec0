export {
  instrumentOpenAI,
  OpenAIStreamError,
  type InstrumentOpenAIOptions,
} from './instrument-openai';
